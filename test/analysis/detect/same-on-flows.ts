import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { bruteForce } from '../../../analysis/detect/brute-force';
import type { Detector, Finding } from '../../../analysis/detect/detector';
import { outboundScan } from '../../../analysis/detect/outbound-scan';
import { serverAnswering } from '../../../analysis/detect/server-answering';
import { synfloodBackscatter } from '../../../analysis/detect/synflood-backscatter';
import { wormPatterns } from '../../../analysis/detect/worm-patterns';
import { IPPROTO_TCP, IPPROTO_UDP, type NetEvent } from '../../../analysis/events/event';
import { connState, FlowTable, type Flow } from '../../../analysis/events/flow-table';
import { argusVersions } from '../../helpers/argus';
import { makeContext } from '../../helpers/context';
import { loadEvents } from '../../helpers/load-events';
import { netflowVersions, nfdumpText, replayToNfcapd } from '../../helpers/netflow';
import { casesDir, corpusDir, fixturesDir } from '../../helpers/paths';
import { tcpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';
import { cachedToolOutput, keyArgs } from '../../helpers/tool-cache';
import { readEvidence } from './evidence';
import { connLog, type ConnRow } from './zeek-log';

/**
 * One capture as the four kinds of evidence an abuse desk is handed, each
 * through the app's own readers, so a detector can be asked the same question
 * of each:
 *
 *  packets  the capture itself.
 *  argus    real argus metering the capture, printed by real ra with the
 *           columns `stime dur proto saddr sport dir daddr dport pkts bytes
 *           state` (-u epoch times, -n numbers): totals and argus's state word,
 *           no per-direction counts. -X keeps /etc/argus.conf's 5 s status
 *           interval from cutting sessions; -S 86400 gives one record per session.
 *  zeek     conn.log rows in Zeek's ASCII TSV layout (zeek-log.ts), one per
 *           conversation of the repo's FlowTable over the capture: orig/resp
 *           are who sent the first packet, `history` is the FlowTable's
 *           Zeek-style history (S h A D F R, upper case from the originator,
 *           each letter once as Zeek does for the first occurrence) and
 *           `conn_state` is connState() of it (Zeek's conn_state rules);
 *           packet and IP byte counts per direction. No zeek binary is
 *           installed, so the record is derived, not Zeek's own.
 *  nfdump   the capture replayed by real softflowd as IPFIX to real nfcapd,
 *           printed by nfdump `-o pipe` (epoch milliseconds, so no local time
 *           to resolve): one record per direction, flags the OR over the
 *           record's packets.
 *
 * Tool output is cached by capture hash and tool versions (tool-cache.ts).
 */

export type Format = 'packets' | 'argus' | 'zeek' | 'nfdump';
export const FORMATS: Format[] = ['packets', 'argus', 'zeek', 'nfdump'];

const run = promisify(execFile);

const ARGUS = ['-X', '-S', '86400', '-r', 'FILE', '-w', 'OUT'];
const RA = ['-X', '-n', '-u', '-r', 'OUT', '-s', 'stime', 'dur', 'proto', 'saddr', 'sport', 'dir', 'daddr', 'dport', 'pkts', 'bytes', 'state'];

export async function argusText(capture: string): Promise<string> {
  return cachedToolOutput({ file: capture, versions: argusVersions(), args: [keyArgs(ARGUS.map((a) => (a === 'FILE' ? capture : a)), capture), RA] }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-argus-'));
    const out = join(dir, 'out.argus');
    const at = (args: string[]): string[] => args.map((a) => (a === 'OUT' ? out : a === 'FILE' ? capture : a));
    try {
      await run('argus', at(ARGUS));
      return (await run('ra', at(RA), { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 })).stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

/**
 * A replay that lost export datagrams on the loopback (nfcapd stopped before it read them all, on a busy
 * machine) would differ from run to run: the text is taken, and cached, only when nfcapd stored every flow
 * softflowd exported.
 */
export async function nfdumpPipe(capture: string): Promise<string> {
  return cachedToolOutput({ file: capture, versions: netflowVersions(), args: [['softflowd', '-v', '10', '-A', 'milli'], ['nfcapd', 'all stored'], ['nfdump', '-o', 'pipe']] }, async () => {
    for (let attempt = 1; ; attempt++) {
      const r = await replayToNfcapd(capture, 10);
      try {
        if (r.files.length === 1 && r.stored === r.exported) return await nfdumpText(r.files[0], 'pipe');
        if (attempt === 3) throw new Error(`${capture}: nfcapd stored ${r.stored} of ${r.exported} flows in ${r.files.length} files`);
      } finally {
        await rm(r.dir, { recursive: true, force: true });
      }
    }
  });
}

/**
 * connState() of the FlowTable, but S1 only when the originator went on to ACK or send data: Zeek's conn_state
 * (base/protocols/conn/main.zeek) says S1 when both endpoints reached ESTABLISHED, and an originator that
 * never answered the SYN-ACK stays in SYN_SENT, which falls through to OTH (a forged SYN's record is OTH "Sh").
 */
function zeekState(f: Flow): string {
  const s = connState(f);
  return s === 'S1' && !/[AD]/.test(f.history) ? 'OTH' : s;
}

/** conn.log text for the capture's events (see the header comment for how each column is derived). */
export function zeekConnLog(packets: NetEvent[]): string {
  const table = new FlowTable();
  for (const ev of packets) if (ev.kind === 'packet') table.add(ev);
  const rows: ConnRow[] = [];
  for (const f of table.all()) {
    if ((f.proto !== IPPROTO_TCP && f.proto !== IPPROTO_UDP) || f.origPort === undefined || f.respPort === undefined) continue;
    // ip_bytes: the FlowTable counts frame lengths; Zeek counts IP lengths. 14 bytes of Ethernet header per packet.
    rows.push({
      ts: f.firstTs / 1e6, orig: f.orig, origPort: f.origPort, resp: f.resp, respPort: f.respPort,
      proto: f.proto === IPPROTO_TCP ? 'tcp' : 'udp', state: zeekState(f), history: f.proto === IPPROTO_TCP ? f.history : f.pktsResp ? 'Dd' : 'D',
      origPkts: f.pktsOrig, respPkts: f.pktsResp,
      origIpBytes: Math.max(0, f.bytesOrig - 14 * f.pktsOrig), respIpBytes: Math.max(0, f.bytesResp - 14 * f.pktsResp),
      duration: (f.lastTs - f.firstTs) / 1e6,
    });
  }
  rows.sort((a, b) => a.ts - b.ts);
  return connLog(rows);
}

/** The capture's events in `format`, each through the app's readers. */
export async function eventsAs(capture: string, format: Format): Promise<NetEvent[]> {
  const packets = await loadEvents(capture);
  if (format === 'packets') return packets;
  // Records of an old capture are read against a reference near its own time.
  const first = packets.find((e) => e.ts > 0)?.ts ?? Date.now() * 1000;
  const reference = { nearMs: Math.round(first / 1000), zone: 'UTC' };
  if (format === 'argus') return readEvidence('argus.txt', await argusText(capture), reference);
  if (format === 'zeek') return readEvidence('conn.log', zeekConnLog(packets), reference);
  return readEvidence('nfdump.txt', await nfdumpPipe(capture), reference);
}

export function capturePath(rel: string): string {
  const path = rel.startsWith('cases/') ? join(casesDir, rel.slice(6)) : rel.startsWith('fixtures/') ? join(fixturesDir, rel.slice(9)) : join(corpusDir, rel);
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests need ../shared/corpus and ../shared/cases beside the checkout`);
  return path;
}

/**
 * A horizontal SYN sweep: the corpus has none that reaches a sweep threshold
 * (psad's syn_sweep log reaches 12 hosts, nmap-vsn's SYNs 6), so one is written
 * the way nmap -sS -p 23 sends it: 40 hosts of 203.0.113.0/24, one SYN each,
 * 10 answer RST-ACK (closed), 3 SYN-ACK (open, which nmap resets), the rest silent.
 */
export const SWEEPER = '198.51.100.23';
export function sweepFrames(): Frame[] {
  const t0 = Date.UTC(2025, 11, 18, 1, 0, 0) * 1000;
  const frames: Frame[] = [];
  for (let h = 1; h <= 40; h++) {
    const dst = `203.0.113.${h}`;
    const t = t0 + h * 25_000;
    const sport = 41_000 + h;
    frames.push({ ts: t, data: tcpFrame({ src: SWEEPER, dst, sport, dport: 23, flags: 'S', window: 1024, seq: 5000 + h, options: [2, 4, 5, 0xb4] }) });
    if (h % 4 === 0) frames.push({ ts: t + 900, data: tcpFrame({ src: dst, dst: SWEEPER, sport: 23, dport: sport, flags: 'RA', seq: 0, ack: 5001 + h }) });
    if (h % 13 === 0) {
      frames.push({ ts: t + 800, data: tcpFrame({ src: dst, dst: SWEEPER, sport: 23, dport: sport, flags: 'SA', seq: 700, ack: 5001 + h }) });
      frames.push({ ts: t + 1000, data: tcpFrame({ src: SWEEPER, dst, sport, dport: 23, flags: 'R', seq: 5001 + h }) });
    }
  }
  return frames.sort((a, b) => a.ts - b.ts);
}

/** The sweep written to a temporary capture (tool caches key on its bytes, which never change). */
export async function sweepCapture(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-sweep-'));
  const path = join(dir, 'sweep.pcap');
  await writeFile(path, writePcap(sweepFrames()));
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface Case {
  name: string;
  /** Corpus path ("pcap/..."), "cases/..." or "fixtures/..."; SWEEP for the written sweep. */
  capture: string;
  detector: Detector;
  accused: string;
  targets?: string[];
  /** Finding ids from the packets, in order ([] for a control where nothing may be found). */
  ids: string[];
  /** Facts of each finding that every format must state alike (counts a flow record holds as well as packets). */
  same?: string[];
}

export const SWEEP = 'SWEEP';

/** One case per detector family, each on a real capture but the sweep; the controls swap the roles. */
export const CASES: Case[] = [
  { name: 'horizontal SYN sweep', capture: SWEEP, detector: outboundScan, accused: SWEEPER, ids: ['outbound-sweep'], same: ['direction', 'ports', 'targetCount', 'probes'] },
  { name: 'vertical nmap -sS scan', capture: 'pcap/evilfingers__TCP_SYN_SCAN.pcap', detector: outboundScan, accused: '192.168.1.10', ids: ['outbound-port-scan'], same: ['direction', 'targetCount', 'portCount', 'probes'] },
  { name: 'vertical nmap -sU scan', capture: 'pcap/evilfingers__UDP_SCAN.pcap', detector: outboundScan, accused: '192.168.1.10', ids: ['outbound-port-scan'], same: ['direction', 'scanType', 'targetCount'] },
  {
    name: 'SYN flood answered with SYN-ACKs (seed 001)', capture: 'cases/seed001-synflood-backscatter/www-border.pcap', detector: synfloodBackscatter,
    accused: '198.51.100.80', targets: ['192.0.2.66'], ids: ['inbound-syn-flood', 'backscatter-to-complainant'], same: ['syns', 'sources', 'completed', 'distinctPorts', 'servicePorts'],
  },
  { name: 'SSH password guessing', capture: 'pcap/zeek__ssh_sshguess.pcap', detector: bruteForce, accused: '192.168.56.1', ids: ['brute-force-sessions'], same: ['target', 'port', 'sessions', 'established', 'medianSessionSeconds'] },
  { name: 'FTP password guessing', capture: 'pcap/zeek__ftp_bruteforce.pcap', detector: bruteForce, accused: '192.168.56.1', ids: ['brute-force-sessions'], same: ['target', 'port', 'sessions', 'established', 'medianSessionSeconds'] },
  { name: 'UDP 770 worm bursts (seed 003)', capture: 'cases/seed003-udp770-compromise/lan-span.pcap', detector: wormPatterns, accused: '198.51.100.90', ids: ['worm-udp-bursts'], same: ['sourcePort', 'payloadSize', 'burstCount', 'packetsInBursts', 'destinations'] },
  { name: 'Slammer datagram', capture: 'pcap/wireshark-wiki__slammer.pcap', detector: wormPatterns, accused: '213.76.212.22', ids: ['worm-slammer'], same: ['port', 'payloadSize', 'datagrams'] },
  {
    name: 'web server answering clients behind NAT (seed 001)', capture: 'cases/seed001-nat-legit/mirror.pcap', detector: serverAnswering,
    accused: '198.51.100.81', targets: ['192.0.2.10'], ids: ['server-answering-clients'], same: ['sessions', 'tcpSessions', 'clientPorts', 'servicePorts', 'natLikely'],
  },
  // Controls: the same traffic from the other side, or a flood's real client, must not read as the family.
  { name: 'control: the scanned host', capture: 'pcap/evilfingers__TCP_SYN_SCAN.pcap', detector: outboundScan, accused: '192.168.1.25', ids: [] },
  { name: 'control: the SSH server', capture: 'pcap/zeek__ssh_sshguess.pcap', detector: bruteForce, accused: '192.168.56.103', ids: [] },
  { name: 'control: web browsing', capture: 'pcap/zeek__wikipedia.pcap', detector: wormPatterns, accused: '141.142.220.118', ids: [] },
  { name: 'control: SYN-ACKs to forged SYNs answer no client', capture: 'fixtures/pcap/web-flood.pcap', detector: serverAnswering, accused: '198.51.100.80', targets: ['192.0.2.66'], ids: [] },
  {
    name: 'control: the real client during a flood is no backscatter', capture: 'fixtures/pcap/web-flood.pcap', detector: synfloodBackscatter,
    accused: '198.51.100.80', targets: ['192.0.2.200'], ids: ['inbound-syn-flood'], same: ['completed', 'attempts'],
  },
  { name: 'control: NAT clients are no flood', capture: 'cases/seed001-nat-legit/mirror.pcap', detector: synfloodBackscatter, accused: '198.51.100.81', targets: ['192.0.2.10'], ids: [] },
];

export interface Verdict { id: string; leaning: string; facts: Record<string, unknown> }

/** Id, leaning and the `same` facts of each finding: what must not depend on the evidence's format. */
export function verdicts(fs: Finding[], same: string[] = []): Verdict[] {
  return fs.map((f) => ({ id: f.id, leaning: f.leaning, facts: Object.fromEntries(same.filter((k) => f.facts?.[k] !== undefined).map((k) => [k, f.facts![k]])) }));
}

/** The case's findings from each format (the sweep is written to a temporary capture first). */
export async function findingsByFormat(c: Case): Promise<Record<Format, Finding[]>> {
  const sweep = c.capture === SWEEP ? await sweepCapture() : undefined;
  try {
    const path = sweep?.path ?? capturePath(c.capture);
    const out = {} as Record<Format, Finding[]>;
    for (const format of FORMATS) {
      const ctx = makeContext({ events: await eventsAs(path, format), accused: [c.accused], targets: c.targets ?? [] });
      out[format] = c.detector.detect(ctx);
    }
    return out;
  } finally {
    await sweep?.cleanup();
  }
}

/**
 * The case's claim: the packets give `ids`, and every flow format gives the same findings with the same
 * leaning and the same `same` facts, never more strongly than the packets do.
 */
export function expectSameOnFlows(c: Case, by: Record<Format, Finding[]>): void {
  expect(by.packets.map((f) => f.id)).toEqual(c.ids);
  const want = verdicts(by.packets, c.same);
  for (const format of FORMATS.slice(1)) {
    expect({ format, verdicts: verdicts(by[format], c.same) }).toEqual({ format, verdicts: want });
    by[format].forEach((f, i) => expect(f.strength, `${format} ${f.id}`).toBeLessThanOrEqual(by.packets[i].strength));
  }
}
