import { beforeEach, describe, expect, it } from 'vitest';
import { outboundScan } from '../../../analysis/detect/outbound-scan';
import { HORIZONTAL_MIN_HOSTS, VERTICAL_MIN_PORTS } from '../../../analysis/detect/outbound-scan-findings';
import type { Finding } from '../../../analysis/detect/detector';
import type { NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp, tcpSession, udp } from '../../helpers/events';
import { evidenceContext } from './evidence';
import { connLog, type ConnRow } from './zeek-log';

const US = '198.51.100.90';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());
const detect = (events: NetEvent[], targets: string[] = []): Finding[] => outboundScan.detect(makeContext({ events, accused: [US], targets }));
const probes = (ports: number[], flags = 'S', dst = THEM): NetEvent[] => ports.map((p, i) => tcp({ src: US, dst, sport: 40000, dport: p, flags, ts: 100 + i * 0.1 }));
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('outbound-scan: vertical (Zeek scan.zeek port_scan_threshold 15)', () => {
  it('15 ports of one host are a port scan, 14 are not', () => {
    expect(VERTICAL_MIN_PORTS).toBe(15);
    const [f, ...rest] = detect(probes(range(1, 15)), [THEM]);
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({
      scanner: US, direction: 'vertical', scanType: 'SYN', scanTypeWords: 'TCP SYN (half-open) scan', probeTypes: ['SYN:15'],
      targets: [`${THEM} (15 ports)`], targetCount: 1, targetsInComplaint: 1, portCount: 15, probes: 15, attempts: 15,
      answeredRst: 0, answeredSynAck: 0, spanSeconds: 1.4, probesPerSecond: 10.71, portList: range(1, 15).join(', '),
    });
    expect(f.summary).toBe(`${US} ran a TCP SYN (half-open) scan of ${THEM}: 15 probes to 15 ports in 1.4 s (10.71/s).`);
    expect(f.strength).toBeCloseTo(0.6, 10);
    expect(detect(probes(range(1, 14)))).toEqual([]);
  });

  it('stealth probes weigh 0.1 more (FIN, NULL, Xmas, SYN+FIN), ACK probes do not', () => {
    const s = (flags: string): number => detect(probes(range(1, 30), flags))[0].strength;
    expect(s('S')).toBeCloseTo(0.65, 10);
    for (const flags of ['F', '', 'FPU', 'SF']) expect(s(flags)).toBeCloseTo(0.75, 10);
    expect(s('A')).toBeCloseTo(0.65, 10);
  });

  it('at least half the conversations we opened must be probes: 15 probes among 15 sessions is a scan, among 16 it is not', () => {
    const sessions = (n: number): NetEvent[] => range(0, n).flatMap((i) => tcpSession({ client: US, server: THEM, sport: 50000 + i, dport: 8000 + i, ts: 200 + i }));
    const [f] = detect([...probes(range(1, 15)), ...sessions(15)]);
    expect(f.facts).toMatchObject({ probes: 15, attempts: 30, portCount: 15 });
    expect(detect([...probes(range(1, 15)), ...sessions(16)])).toEqual([]);
  });

  it('a bare ACK sent twice on a tuple is a probe, three times is a connection already running', () => {
    const acks = (times: number): NetEvent[] => range(1, 15).flatMap((p) => range(0, times).map((k) => tcp({ src: US, dst: THEM, sport: 40000, dport: p, flags: 'A', ts: 100 + p + k * 0.01 })));
    expect(detect(acks(2)).map((f) => [f.facts?.scanType, f.facts?.portCount])).toEqual([['ACK', 15]]);
    expect(detect(acks(3))).toEqual([]);
  });

  it('counts the answers: RST for closed ports, SYN-ACK for open ones', () => {
    const evs = probes(range(1, 20));
    for (const p of range(1, 16)) evs.push(tcp({ src: THEM, dst: US, sport: p, dport: 40000, flags: 'RA', ts: 101 + p * 0.1 }));
    for (const p of range(17, 2)) evs.push(tcp({ src: THEM, dst: US, sport: p, dport: 40000, flags: 'SA', ts: 101 + p * 0.1 }));
    expect(detect(evs)[0].facts).toMatchObject({ answeredRst: 16, answeredSynAck: 2 });
  });

  it('several hosts scanned: the most-scanned one leads, the others are listed', () => {
    const evs = [...probes(range(1, 30)), ...probes(range(1, 16), 'S', '192.0.2.11')];
    const [f] = detect(evs, [THEM]);
    expect(f.summary).toContain('of 2 hosts (most: 192.0.2.10, 30 ports): 46 probes to 30 ports');
    expect(f.facts).toMatchObject({ targets: [`${THEM} (30 ports)`, '192.0.2.11 (16 ports)'], targetCount: 2, targetsInComplaint: 1 });
    expect(f.evidence).toHaveLength(12);
    expect(f.evidence.filter((e) => e.excerpt.includes('> 192.0.2.11:'))).toHaveLength(1);
  });

  it('eight hosts scanned: 12 evidence lines, 6 from the most-scanned host and the first probe of each of the next six', () => {
    // Host 192.0.2.20 gets 30 ports, hosts .21-.27 get 22 down to 16 ports, one after the other.
    const hosts = Array.from({ length: 8 }, (_, i) => `192.0.2.${20 + i}`);
    const evs = hosts.flatMap((h, i) => probes(range(1, i ? 23 - i : 30), 'S', h).map((e) => ({ ...e, ts: e.ts + i * 10_000_000 })));
    const [f] = detect(evs);
    expect(f.facts?.targets).toEqual(hosts.map((h, i) => `${h} (${i ? 23 - i : 30} ports)`));
    expect(f.evidence).toHaveLength(12);
    const perHost = hosts.map((h) => f.evidence.filter((e) => e.excerpt.includes(`> ${h}:`)).length);
    expect(perHost).toEqual([6, 1, 1, 1, 1, 1, 1, 0]);
    for (const h of hosts.slice(1, 7)) expect(f.evidence.find((e) => e.excerpt.includes(`> ${h}:`))!.excerpt).toContain(`> ${h}:1 tcp [S]`);
  });
});

describe('outbound-scan: horizontal (Zeek scan.zeek addr_scan_threshold 25)', () => {
  const sweep = (n: number): NetEvent[] => range(1, n).map((h) => tcp({ src: US, dst: `203.0.113.${h}`, sport: 41000 + h, dport: 23, flags: 'S', ts: 100 + h * 0.2 }));

  it('25 hosts on one port are a sweep, 24 are not', () => {
    expect(HORIZONTAL_MIN_HOSTS).toBe(25);
    const [f, ...rest] = detect(sweep(25));
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({
      direction: 'horizontal', scanType: 'SYN', ports: ['tcp/23'], portCount: 1, targetCount: 25, probes: 25, attempts: 25, spanSeconds: 4.8, probesPerSecond: 5.21,
      targetSample: range(1, 20).map((h) => `203.0.113.${h}`),
    });
    expect(f.summary).toBe(`${US} swept port tcp/23 across 25 hosts with TCP SYN (half-open) scan probes in 4.8 s (5.21/s).`);
    expect(f.strength).toBeCloseTo(0.6, 10);
    expect(detect(sweep(24))).toEqual([]);
  });

  it('counts the swept hosts the complaint names, one or several', () => {
    expect(detect(sweep(25), ['203.0.113.7'])[0].facts).toMatchObject({ targetCount: 25, targetsInComplaint: 1 });
    expect(detect(sweep(25), ['203.0.113.7', '203.0.113.8', '192.0.2.99'])[0].facts).toMatchObject({ targetCount: 25, targetsInComplaint: 2 });
  });
});

describe('outbound-scan: UDP', () => {
  const datagrams = (sport: number, ports: number[], answered = false): NetEvent[] => ports.flatMap((p, i) => {
    const out = [udp({ src: US, dst: THEM, sport, dport: p, payloadLength: 20, ts: 100 + i * 0.1 })];
    if (answered) out.push(udp({ src: THEM, dst: US, sport: p, dport: sport, payloadLength: 40, ts: 100.05 + i * 0.1 }));
    return out;
  });

  it('unanswered datagrams to 15 ports are a UDP scan; answered ones are exchanges', () => {
    expect(detect(datagrams(40000, range(2000, 15))).map((f) => [f.facts?.scanType, f.facts?.portCount])).toEqual([['UDP', 15]]);
    expect(detect(datagrams(40000, range(2000, 15), true))).toEqual([]);
  });

  it.each([53, 67, 68, 69, 123, 137, 138, 161, 162, 443, 500, 514, 1194, 1812, 1813, 3478, 4500, 5353])('from service port %i to high ports: replies, not probes', (sport) => {
    expect(detect(datagrams(sport, range(30000, 20)))).toEqual([]);
  });

  it.each([52, 54, 122, 124, 160, 163, 442, 444, 1193, 1195, 1811, 1814, 3477, 3479, 4499, 4501, 5352, 5354])('from port %i they are probes', (sport) => {
    expect(detect(datagrams(sport, range(30000, 20))).map((f) => f.facts?.scanType)).toEqual(['UDP']);
  });

  it('replies go to ports from 1024 up: datagrams from port 53 to 1009-1023 are a scan, to 1010-1024 (14 below 1024) not', () => {
    expect(detect(datagrams(53, range(1009, 15))).map((f) => f.facts?.portCount)).toEqual([15]);
    expect(detect(datagrams(53, range(1010, 15)))).toEqual([]);
  });
});

describe('outbound-scan: flow records', () => {
  const rows = (n: number, origPkts: number, respPkts: number, proto: 'tcp' | 'udp' = 'tcp'): ConnRow[] => range(0, n).map((i) => ({
    ts: 1766018400 + i * 0.1, orig: US, origPort: 40000, resp: THEM, respPort: 2000 + i, proto, state: respPkts ? 'REJ' : 'S0', history: respPkts ? 'Sr' : 'S', origPkts, respPkts,
  }));

  it('tiny flows (at most 3 packets out, 2 back) to 15 ports are a scan; 4 out or 3 back are conversations', async () => {
    const found = async (r: ConnRow[]): Promise<unknown[]> => outboundScan.detect(await evidenceContext('conn.log', connLog(r), [US])).map((f) => [f.facts?.scanType, f.facts?.portCount]);
    expect(await found(rows(15, 3, 2))).toEqual([['flow-record', 15]]);
    expect(await found(rows(15, 4, 2))).toEqual([]);
    expect(await found(rows(15, 3, 3))).toEqual([]);
    expect(await found(rows(15, 1, 0, 'udp'))).toEqual([['UDP', 15]]);
    expect(await found(rows(14, 1, 1))).toEqual([]);
  });

  it('the scan finding quotes the flow records by line', async () => {
    const [f] = outboundScan.detect(await evidenceContext('conn.log', connLog(rows(15, 1, 1)), [US]));
    expect(f.summary).toBe(`${US} ran a scan (seen in flow records) of ${THEM}: 15 probes to 15 ports in 1.4 s (10.71/s).`);
    expect(f.evidence[0]).toMatchObject({ file: 'conn.log', line: 9 });
  });
});
