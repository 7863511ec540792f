import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bruteForce } from '../../../../analysis/detect/brute-force';
import type { Finding } from '../../../../analysis/detect/detector';
import { makeContext } from '../../../helpers/context';
import { loadEvents } from '../../../helpers/load-events';
import { corpusDir } from '../../../helpers/paths';
import { corpusContext } from '../corpus';
import { evidenceContext, readEvidence } from '../evidence';
import { connLog, type ConnRow } from '../zeek-log';

/**
 * Flow records (argus ra, Zeek conn.log) as sessions: each record of our
 * host's TCP session to a login service is one session, established when
 * the state or history shows the server answered and the handshake went on,
 * as long as its duration (or, without durations, its packet count) says.
 * Records are read by the real readers, from the text the tools write.
 */

const US = '198.51.100.90';
const THEM = '192.0.2.10';
/** 2024-04-19 01:00:00 UTC, seconds. */
const T0 = 1_713_488_400;

const detect = async (name: string, text: string, accused = [US]): Promise<Finding[]> => bruteForce.detect(await evidenceContext(name, text, accused));

/** A failed SSH login as Zeek logs it: handshake, version and key exchange, one password, both sides close. */
function sshRow(i: number, over: Partial<ConnRow> = {}): ConnRow {
  return {
    ts: T0 + i * 115 + (i % 7), orig: US, origPort: 40000 + i * 13, resp: THEM, respPort: 22, state: 'SF', history: 'ShADadFf',
    origPkts: 12, respPkts: 14, origIpBytes: 1882, respIpBytes: 2430, duration: 2.8 + (i % 5) * 0.2, service: 'ssh', ...over,
  };
}

describe('brute-force from a Zeek conn.log', () => {
  it('30 near-identical 3-second SSH sessions in an hour are guessing, from the records alone', async () => {
    const [f, ...rest] = await detect('conn.log', connLog(Array.from({ length: 30 }, (_, i) => sshRow(i))));
    expect(rest).toEqual([]);
    expect(f.id).toBe('brute-force-sessions');
    expect(f.leaning).toBe('compromise');
    expect(f.facts).toMatchObject({
      source: US, target: THEM, port: 22, service: 'SSH', sessions: 30, established: 30, medianSessionSeconds: 3.2,
      medianSessionPackets: 26, medianBytesPerSession: 4312, bytesPerSessionSpread: 0, fromFlowRecords: true,
    });
    expect(f.summary).toMatch(/^198\.51\.100\.90 opened 30 SSH sessions \(flow records\) to 192\.0\.2\.10:22 in \d+\.?\d* s \(median 3\.2 s each\)\.$/);
    expect(f.explanation).toContain('all about the same size in bytes');
    // The records themselves are the evidence, by line (the header takes 8 lines).
    expect(f.evidence.length).toBe(12);
    expect(f.evidence[0]).toMatchObject({ file: 'conn.log', line: 9 });
    expect(f.evidence[0].excerpt).toContain(`${US}:40000 > ${THEM}:22`);
  });

  it('sessions of many sizes are still guessing, a little less surely', async () => {
    const same = (await detect('conn.log', connLog(Array.from({ length: 30 }, (_, i) => sshRow(i)))))[0];
    const varied = (await detect('conn.log', connLog(Array.from({ length: 30 }, (_, i) => sshRow(i, { origIpBytes: 1000 + i * 150, respIpBytes: 1500 + i * 170 })))))[0];
    expect(varied.id).toBe('brute-force-sessions');
    expect(varied.facts?.bytesPerSessionSpread as number).toBeGreaterThan(0.3);
    expect(varied.explanation).not.toContain('same size');
    expect(Math.round((same.strength - varied.strength) * 100)).toBe(5);
  });

  it('unanswered (S0) and refused (REJ) attempts are no sessions; a SYN answered and reset by us (RSTO, "ShR") is, as Zeek counts it', async () => {
    const refused = Array.from({ length: 20 }, (_, i) => sshRow(i, { state: i % 2 ? 'S0' : 'REJ', history: i % 2 ? 'S' : 'Sr', origPkts: 1, respPkts: i % 2 ? 0 : 1, origIpBytes: 60, respIpBytes: i % 2 ? 0 : 40, duration: 0 }));
    expect(await detect('conn.log', connLog(refused))).toEqual([]);
    const midstream = Array.from({ length: 20 }, (_, i) => sshRow(i, { state: 'OTH', history: '^f', origPkts: 0, respPkts: 1, origIpBytes: 0, respIpBytes: 40 }));
    expect(await detect('conn.log', connLog(midstream))).toEqual([]);
    const probed = Array.from({ length: 8 }, (_, i) => sshRow(i, { state: 'RSTO', history: 'ShR', origPkts: 2, respPkts: 1, origIpBytes: 100, respIpBytes: 44, duration: 0.0002 }));
    expect((await detect('conn.log', connLog(probed))).map((f) => [f.id, f.facts?.established])).toEqual([['brute-force-sessions', 8]]);
  });

  it('long SSH sessions (an operator, a backup) are not guessing', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => sshRow(i, { duration: 1800 + i, origPkts: 4000, respPkts: 6000, origIpBytes: 300_000, respIpBytes: 9_000_000, history: 'ShADadtTFf' }));
    expect(await detect('conn.log', connLog(rows))).toEqual([]);
  });

  it('the same SSH sessions to five hosts, four each, are a spray', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => sshRow(i, { resp: `203.0.113.${1 + (i % 5)}` }));
    const [f, ...rest] = await detect('conn.log', connLog(rows));
    expect(rest).toEqual([]);
    expect(f.id).toBe('brute-force-spray');
    expect(f.facts).toMatchObject({ targets: 5, sessions: 20, fromFlowRecords: true, bytesPerSessionSpread: 0 });
  });

  it('rita conn.log (a real Internet SSH server, one hour): the 30 sessions of 77.221.158.250 are guessing; the server itself guessed nothing', async () => {
    const [f, ...rest] = bruteForce.detect(await corpusContext('zeek/rita__internet_host_2024-04-19_01h.conn.log', ['77.221.158.250']));
    expect(rest).toEqual([]);
    expect(f.id).toBe('brute-force-sessions');
    expect(f.leaning).toBe('compromise');
    expect(f.facts).toMatchObject({ target: '64.225.56.201', port: 22, sessions: 30, established: 30, fromFlowRecords: true, bytesPerSessionSpread: 0 });
    expect(f.facts?.medianSessionSeconds as number).toBeGreaterThan(2.5);
    expect(f.facts?.medianSessionSeconds as number).toBeLessThan(4);
    expect(bruteForce.detect(await corpusContext('zeek/rita__internet_host_2024-04-19_01h.conn.log', ['64.225.56.201']))).toEqual([]);
  });
});

/** ra's default report (time of day only, totals), as argus-clients 3.0.8 prints it. */
function raDefault(rows: Array<{ t: number; dst: string; sport: number; dport?: number; pkts: number; bytes: number; state: string }>): string {
  const head = '         StartTime      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  TotPkts   TotBytes State ';
  const time = (t: number): string => {
    const d = new Date(Date.UTC(2025, 11, 18, 12) + t * 1000);
    const us = String(Math.round((t % 1) * 1e6)).padStart(6, '0');
    return `${d.toISOString().slice(11, 19)}.${us}`;
  };
  const lines = rows.map((r) => `   ${time(r.t)}  e           tcp${`${US}.${r.sport}`.padStart(25)}     ->${`${r.dst}.${r.dport ?? 22}`.padStart(24)}${String(r.pkts).padStart(13)}${String(r.bytes).padStart(11)}   ${r.state}`);
  return [head, ...lines, ''].join('\n');
}

describe('brute-force from argus ra reports', () => {
  // Hundreds of four-packet flows (SYN, SYN-ACK, ACK, RST) to port 22 of five hosts.
  const resets = (hosts: number, each: number, pkts = 4, state = 'RST') => Array.from({ length: hosts * each }, (_, i) => ({
    t: i * 0.7, dst: `203.0.113.${1 + (i % hosts)}`, sport: 30000 + i, pkts, bytes: pkts * 60, state,
  }));

  it('300 reset four-packet flows to five hosts: guessing on each, judged by packets as the report gives no durations', async () => {
    const findings = await detect('ra.txt', raDefault(resets(5, 60)));
    expect(findings.map((f) => [f.id, f.facts?.target, f.facts?.sessions])).toEqual([1, 2, 3, 4, 5].map((h) => ['brute-force-sessions', `203.0.113.${h}`, 60]));
    expect(findings[0].facts).toMatchObject({ sessionDurationsKnown: false, medianSessionPackets: 4, fromFlowRecords: true });
    expect(findings[0].facts).not.toHaveProperty('medianSessionSeconds');
    expect(findings[0].summary).toContain('(median 4 packets each; the records give no durations)');
    expect(findings.every((f) => f.leaning === 'compromise')).toBe(true);
  });

  it('a few reset flows to each of ten hosts are a spray', async () => {
    const [f, ...rest] = await detect('ra.txt', raDefault(resets(10, 3)));
    expect(rest).toEqual([]);
    expect(f.id).toBe('brute-force-spray');
    expect(f.facts).toMatchObject({ targets: 10, sessions: 30, fromFlowRecords: true });
  });

  it.each([
    ['refused SYNs (SYN, RST: 2 packets)', 2, 'RST'],
    ['half-open probes (SYN, SYN-ACK, our RST: 3 packets)', 3, 'RST'],
    ['unanswered SYNs', 3, 'REQ'],
    ['SYN-ACKs never acknowledged', 2, 'ACC'],
  ])('%s are no sessions', async (_what, pkts, state) => {
    expect(await detect('ra.txt', raDefault(resets(5, 60, pkts, state)))).toEqual([]);
  });

  it('long flows without durations (hundreds of packets each) are not guessing', async () => {
    expect(await detect('ra.txt', raDefault(resets(1, 12, 900, 'FIN')))).toEqual([]);
  });

  it('the corpus report of the FTP brute force (real argus, default columns): the same finding as the packets', async () => {
    const flows = bruteForce.detect(await corpusContext('argus/generated__zeek_ftp_bruteforce.ra-default.txt', ['192.168.56.1']));
    const packets = bruteForce.detect(await corpusContext('pcap/zeek__ftp_bruteforce.pcap', ['192.168.56.1']));
    expect(flows.map((f) => [f.id, f.leaning, f.facts?.target, f.facts?.sessions])).toEqual(packets.map((f) => [f.id, f.leaning, f.facts?.target, f.facts?.sessions]));
    expect(flows[0].facts).toMatchObject({ fromFlowRecords: true, sessionDurationsKnown: false });
  });
});

describe('brute-force: packets and flow records of the same sessions', () => {
  it('are one set of sessions, not two: the FTP capture with its argus report counts 30 sessions and the 30 refusals', async () => {
    const packets = await loadEvents(join(corpusDir, 'pcap/zeek__ftp_bruteforce.pcap'));
    const flows = await readEvidence('ra-long.txt', readFileSync(join(corpusDir, 'argus/generated__zeek_ftp_bruteforce.ra-long.txt')));
    const [f, ...rest] = bruteForce.detect(makeContext({ events: [...packets, ...flows], accused: ['192.168.56.1'] }));
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ sessions: 30, loginFailures: 30 });
    expect(f.facts).not.toHaveProperty('fromFlowRecords');
  });
});
