import { beforeEach, describe, expect, it } from 'vitest';
import { synfloodBackscatter } from '../../../analysis/detect/synflood-backscatter';
import type { Finding } from '../../../analysis/detect/detector';
import type { NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';
import { corpusContext } from './corpus';
import { evidenceContext, readFixture } from './evidence';
import { COMPLAINANT, COMPLAINANT_PORTS, NAT_CLIENT, SERVER, webFloodPcap } from './web-flood-scenario';
import { connLog, type ConnRow } from './zeek-log';

beforeEach(() => resetPacketNumbers());
const byId = (f: Finding[]): Record<string, Finding> => Object.fromEntries(f.map((x) => [x.id, x]));
const lines = (f: Finding): Array<number | undefined> => f.evidence.map((e) => e.line);
const packets = (f: Finding): Array<number | undefined> => f.evidence.map((e) => e.packet);

describe('synflood-backscatter on a capture of a spoofed SYN flood (web-flood.pcap)', () => {
  it('finds the flood on port 80 and the SYN-ACKs that went to the forged complainant address', async () => {
    const ctx = await evidenceContext('web-flood.pcap', webFloodPcap(), [SERVER], [COMPLAINANT]);
    const f = byId(synfloodBackscatter.detect(ctx));
    expect(Object.keys(f).sort()).toEqual(['backscatter-to-complainant', 'inbound-syn-flood']);
    // 22 forged + 6 "from" the complainant + 6 real client SYNs; only the real client's 6 were completed.
    expect(f['inbound-syn-flood'].facts).toMatchObject({ server: SERVER, port: 80, syns: 34, sources: 24, completed: 6, attempts: 34, fingerprint: 'win 512, no options' });
    expect(f['inbound-syn-flood'].summary).toContain('34 SYNs from 24 different source addresses');
    const b = f['backscatter-to-complainant'];
    expect(b.facts).toMatchObject({ server: SERVER, target: COMPLAINANT, answers: 6, synAcks: 6, rsts: 0, distinctPorts: 6, provoked: 6, servicePorts: [80], flags: ['SYN-ACK'] });
    expect(b.summary).toBe(`Everything ${SERVER} sent to ${COMPLAINANT} was 6 SYN-ACK answers from port 80 to 6 different ports; 6 of 6 answer a SYN that arrived carrying ${COMPLAINANT} as its source.`);
    expect(b.explanation).toContain('during a SYN flood');
    // Our six SYN-ACKs, then three of the forged SYNs they answer, by packet number in the capture.
    expect(packets(b)).toEqual([4, 12, 22, 30, 40, 48, 3, 29, 47]);
    expect(b.evidence.every((e) => e.file === 'web-flood.pcap')).toBe(true);
    expect(b.evidence[0].excerpt).toContain(`${SERVER}:80 > ${COMPLAINANT}:40001 tcp [S.] SYN-ACK`);
    expect(b.strength).toBe(0.95);
  });

  it('a client that completed its handshakes during the flood is served, not backscattered', async () => {
    const ctx = await evidenceContext('web-flood.pcap', webFloodPcap(), [SERVER], [NAT_CLIENT]);
    expect(synfloodBackscatter.detect(ctx).map((x) => x.id)).toEqual(['inbound-syn-flood']);
  });
});

/** `n` forged sources sending one SYN each to SERVER:80, answered; `done` of them complete the handshake. */
function flood(n: number, done = 0): NetEvent[] {
  const evs: NetEvent[] = [];
  for (let i = 0; i < n; i++) {
    const src = `203.0.113.${10 + i}`;
    const sport = 30000 + i;
    evs.push(tcp({ src, dst: SERVER, sport, dport: 80, flags: 'S', ts: 100 + i * 0.01, ttl: 40 + i }));
    evs.push(tcp({ src: SERVER, dst: src, sport: 80, dport: sport, flags: 'SA', ts: 100 + i * 0.01 + 0.001 }));
    if (i < done) evs.push(tcp({ src, dst: SERVER, sport, dport: 80, flags: 'A', ts: 100 + i * 0.01 + 0.002 }));
  }
  return evs;
}

describe('synflood-backscatter thresholds (packets)', () => {
  it('20 sources make a flood, 19 do not', () => {
    const at = synfloodBackscatter.detect(makeContext({ events: flood(20), accused: [SERVER] }));
    expect(at.map((x) => x.id)).toEqual(['inbound-syn-flood']);
    expect(at[0].facts).toMatchObject({ sources: 20, syns: 20, attempts: 20, completed: 0, ttlDistinct: 20 });
    expect(synfloodBackscatter.detect(makeContext({ events: flood(19), accused: [SERVER] }))).toEqual([]);
  });

  it('a flood completes fewer than 20% of its handshakes: 3 of 20 is a flood, 4 of 20 are clients', () => {
    const f = synfloodBackscatter.detect(makeContext({ events: flood(20, 3), accused: [SERVER] }));
    expect(f.map((x) => [x.id, x.facts?.completed])).toEqual([['inbound-syn-flood', 3]]);
    expect(synfloodBackscatter.detect(makeContext({ events: flood(20, 4), accused: [SERVER] }))).toEqual([]);
  });

  it('RSTs from a closed port answer the complainant too; an answer with no SYN from them weighs less', () => {
    const evs = [
      tcp({ src: COMPLAINANT, dst: SERVER, sport: 4000, dport: 23, flags: 'S', ts: 10 }),
      tcp({ src: SERVER, dst: COMPLAINANT, sport: 23, dport: 4000, flags: 'RA', ts: 10.001 }),
      tcp({ src: COMPLAINANT, dst: SERVER, sport: 4001, dport: 23, flags: 'S', ts: 11 }),
      tcp({ src: SERVER, dst: COMPLAINANT, sport: 23, dport: 4001, flags: 'RA', ts: 11.001 }),
    ];
    const [all] = synfloodBackscatter.detect(makeContext({ events: evs, accused: [SERVER], targets: [COMPLAINANT] }));
    expect(all.facts).toMatchObject({ answers: 2, synAcks: 0, rsts: 2, provoked: 2, distinctPorts: 2, servicePorts: [23], flags: ['RST-ACK'] });
    expect(all.summary).toContain('was 2 RST answers from port 23 to 2 different ports; 2 of 2 answer');
    expect(all.explanation).not.toContain('SYN flood');
    // Drop one of their SYNs: half the answers are provoked (0.5 <= 0.9), so the finding weakens.
    const [half] = synfloodBackscatter.detect(makeContext({ events: evs.slice(1), accused: [SERVER], targets: [COMPLAINANT] }));
    expect(half.facts).toMatchObject({ answers: 2, provoked: 1 });
    expect(half.strength).toBeLessThan(all.strength);
  });

  it('a host that also opened connections to the complainant is not only answering', () => {
    const evs = [
      tcp({ src: COMPLAINANT, dst: SERVER, sport: 4000, dport: 80, flags: 'S', ts: 10 }),
      tcp({ src: SERVER, dst: COMPLAINANT, sport: 80, dport: 4000, flags: 'SA', ts: 10.001 }),
      tcp({ src: SERVER, dst: COMPLAINANT, sport: 52000, dport: 25, flags: 'S', ts: 12 }),
    ];
    const [f] = synfloodBackscatter.detect(makeContext({ events: evs, accused: [SERVER], targets: [COMPLAINANT] }));
    expect(f.facts).toMatchObject({ answers: 1, provoked: 1 });
    expect(f.strength).toBe(0.6);
  });
});

describe('synflood-backscatter on flow records', () => {
  it.each(['argus/web-flood.ra-default.txt', 'argus/web-flood.ra-long.txt'])('%s (argus ra of web-flood.pcap): the same flood and answers', async (rel) => {
    const ctx = makeContext({ events: await readFixture(rel), accused: [SERVER], targets: [COMPLAINANT] });
    const f = byId(synfloodBackscatter.detect(ctx));
    expect(f['inbound-syn-flood'].facts).toEqual({ server: SERVER, port: 80, syns: 28, sources: 23, completed: 6, attempts: 34, fromFlowRecords: true });
    const b = f['backscatter-to-complainant'];
    expect(b.facts).toEqual({ server: SERVER, target: COMPLAINANT, attempts: 6, answers: 6, distinctPorts: 6, servicePorts: [80], startedByUs: 0, fromFlowRecords: true });
    // Line numbers of the complainant's six records in the ra output (line 1 is the header).
    expect(lines(b)).toEqual([3, 7, 12, 16, 21, 25]);
    expect(b.evidence.every((e) => e.file === rel.slice(6))).toBe(true);
    expect(b.summary).toBe(`Our flow records show 6 connection attempts "from" ${COMPLAINANT} (6 different source ports) to ${SERVER} port 80, none completed; 6 were answered by our host (SYN-ACK or RST), and ${SERVER} started no conversation with ${COMPLAINANT}.`);
    expect(b.strength).toBe(0.9);
  });

  it('with the capture at hand the flow records are not counted a second time', async () => {
    const events = [...await readFixture('pcap/web-flood.pcap'), ...await readFixture('argus/web-flood.ra-default.txt')];
    const f = synfloodBackscatter.detect(makeContext({ events, accused: [SERVER], targets: [COMPLAINANT] }));
    expect(f.map((x) => [x.id, x.facts?.fromFlowRecords ?? false])).toEqual([['inbound-syn-flood', false], ['backscatter-to-complainant', false]]);
  });

  it('one SYN packet to the server is enough for the capture to speak instead of the flow records', async () => {
    const [firstSyn] = await readFixture('pcap/web-flood.pcap');
    const events = [firstSyn, ...await readFixture('argus/web-flood.ra-default.txt')];
    expect(synfloodBackscatter.detect(makeContext({ events, accused: [SERVER], targets: [COMPLAINANT] }))).toEqual([]);
  });

  it('the real client\'s established flows are no backscatter', async () => {
    const ctx = makeContext({ events: await readFixture('argus/web-flood.ra-default.txt'), accused: [SERVER], targets: [NAT_CLIENT] });
    expect(synfloodBackscatter.detect(ctx).map((x) => x.id)).toEqual(['inbound-syn-flood']);
  });

  /** Zeek rows: `half` forged sources answered by SYN-ACK (OTH/Sh), `est` completed sessions (SF). */
  function zeekFlood(half: number, est: number): string {
    const rows: ConnRow[] = [];
    for (let i = 0; i < half; i++) {
      rows.push({ ts: 1766018400 + i * 0.01, orig: `203.0.113.${10 + i}`, origPort: 20000 + i, resp: SERVER, respPort: 80, state: 'OTH', history: 'Sh', origPkts: 1, respPkts: 1 });
    }
    for (let i = 0; i < est; i++) {
      rows.push({ ts: 1766018401 + i, orig: NAT_CLIENT, origPort: 51000 + i, resp: SERVER, respPort: 80, state: 'SF', history: 'ShADadFf', origPkts: 5, respPkts: 3, origIpBytes: 349, respIpBytes: 200, service: 'http' });
    }
    return connLog(rows);
  }

  it('Zeek conn.log: 20 unanswered-handshake sources are a flood, 19 are not', async () => {
    const [f, ...rest] = synfloodBackscatter.detect(await evidenceContext('conn.log', zeekFlood(20, 0), [SERVER]));
    expect(rest).toEqual([]);
    expect(f.facts).toEqual({ server: SERVER, port: 80, syns: 20, sources: 20, completed: 0, attempts: 20, fromFlowRecords: true });
    expect(lines(f)).toEqual([9, 13, 17, 20, 24, 28]);
    expect(synfloodBackscatter.detect(await evidenceContext('conn.log', zeekFlood(19, 0), [SERVER]))).toEqual([]);
  });

  it('Zeek conn.log: at least 80% of the attempts must fail (24 of 30 does, 23 of 29 does not)', async () => {
    const [f] = synfloodBackscatter.detect(await evidenceContext('conn.log', zeekFlood(24, 6), [SERVER]));
    expect(f.facts).toMatchObject({ syns: 24, completed: 6, attempts: 30 });
    expect(synfloodBackscatter.detect(await evidenceContext('conn.log', zeekFlood(23, 6), [SERVER]))).toEqual([]);
  });

  it('Zeek conn.log: the complainant\'s REJ records are answers (RST) to SYNs carrying its address', async () => {
    const rows: ConnRow[] = COMPLAINANT_PORTS.map((p, i) => ({ ts: 1766018400 + i, orig: COMPLAINANT, origPort: p, resp: SERVER, respPort: 8080, state: 'REJ', history: 'Sr', origPkts: 1, respPkts: 1 }));
    const [f, ...rest] = synfloodBackscatter.detect(await evidenceContext('conn.log', connLog(rows), [SERVER], [COMPLAINANT]));
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ attempts: 6, answers: 6, distinctPorts: 6, servicePorts: [8080], startedByUs: 0 });
    expect(lines(f)).toEqual([9, 10, 11, 12, 13, 14]);
    // One conversation our server started toward them, and the answers no longer say "only answers".
    rows.push({ ts: 1766018500, orig: SERVER, origPort: 33000, resp: COMPLAINANT, respPort: 443, state: 'S0', history: 'S', origPkts: 1, respPkts: 0 });
    const [g] = synfloodBackscatter.detect(await evidenceContext('conn.log', connLog(rows), [SERVER], [COMPLAINANT]));
    expect(g.facts).toMatchObject({ attempts: 6, startedByUs: 1 });
    expect(g.strength).toBeLessThan(f.strength);
  });

  it('real Zeek log (rita, Internet-facing server): 225 rejected attempts "from" one address to closed port 30003', async () => {
    const ctx = await corpusContext('zeek/rita__internet_host_2024-04-19_00h.conn.log', ['64.225.56.201'], ['120.245.134.197']);
    const f = synfloodBackscatter.detect(ctx);
    expect(f.map((x) => x.id)).toEqual(['backscatter-to-complainant']);
    expect(f[0].facts).toEqual({
      server: '64.225.56.201', target: '120.245.134.197', attempts: 225, answers: 225, distinctPorts: 181, servicePorts: [30003], startedByUs: 0, fromFlowRecords: true,
    });
    expect(f[0].evidence[0]).toMatchObject({ file: 'rita__internet_host_2024-04-19_00h.conn.log', line: 10 });
    // Four sources on port 30003 in that hour: Internet background noise, not a flood.
    expect(f.some((x) => x.id === 'inbound-syn-flood')).toBe(false);
  });

  it('real Zeek log: a client whose SSH sessions completed is not a victim of backscatter', async () => {
    const ctx = await corpusContext('zeek/rita__internet_host_2024-04-19_00h.conn.log', ['64.225.56.201'], ['88.142.46.185']);
    expect(synfloodBackscatter.detect(ctx)).toEqual([]);
  });

  // ra -Z b states: 995 "S_RA" and 5 "SR_SA" were answered, 2 "S_" retries were not.
  it('real argus (nmap SYN scan, scanned host): answers on 1,000 scanned ports are listed briefly', async () => {
    const ctx = await corpusContext('argus/generated__evilfingers_syn_scan.ra-long.txt', ['192.168.1.25'], ['192.168.1.10']);
    const [f] = synfloodBackscatter.detect(ctx);
    expect(f.facts).toMatchObject({ attempts: 1002, answers: 1000, distinctPorts: 2, startedByUs: 0 });
    expect((f.facts!.servicePorts as number[]).length).toBe(1000);
    expect(f.summary).toMatch(/port 1723, 443, 23, .*\(1000 in all\), none completed/);
    expect(f.summary.length).toBeLessThan(400);
  });
});
