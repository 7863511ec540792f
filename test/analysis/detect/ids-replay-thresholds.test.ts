import { beforeEach, describe, expect, it } from 'vitest';
import { idsReplay } from '../../../analysis/detect/ids-replay';
import type { Finding } from '../../../analysis/detect/detector';
import type { NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { icmp, resetPacketNumbers, tcp, udp } from '../../helpers/events';
import { readFixture } from './evidence';

/**
 * Each sensor's thresholds, one below and at: scanlogd 2.2 (scanlogd.c,
 * params.h), Snort 2.9 sfPortscan (portscan.c PS_ALERT_CONF per sense level)
 * and Zeek's policy/misc/scan.zeek. The numbers in these tests are the
 * sensors' published defaults, not the detector's.
 */
const US = '198.51.100.81';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const byId = (f: Finding[]): Record<string, Finding> => Object.fromEntries(f.map((x) => [x.id, x]));
const replay = (events: NetEvent[], accused = [US], targets = [THEM]): Record<string, Finding> => byId(idsReplay.detect(makeContext({ events, accused, targets })));
const syn = (dport: number, ts: number, src = US, dst = THEM): NetEvent => tcp({ src, dst, sport: 40000, dport, flags: 'S', ts });
const rst = (dport: number, ts: number, src = US, dst = THEM): NetEvent => tcp({ src: dst, dst: src, sport: dport, dport: 40000, flags: 'RA', ts: ts + 0.001 });

describe('scanlogd', () => {
  it('the detector says what scanlogd counts and where our traffic stands', () => {
    const seven = Array.from({ length: 7 }, (_, i) => syn(20 + i, 10 + i));
    const g = replay(seven)['ids-replay-scanlogd'];
    expect(g.summary).toBe(`scanlogd would have fired on ${US}: 7 new ports (weight 21 >= 21), each within 3 s of the previous, in 6 s.`);
    expect(g.evidence.map((e) => e.packet)).toEqual(seven.map((e) => e.source.packet));
    const f = replay(seven.slice(0, 6))['ids-replay-scanlogd'];
    expect(f.summary).toBe(`scanlogd could not have fired on our packets from ${US} toward ${THEM}: the highest weight reached is 18 of 21.`);
    expect(f.explanation).toContain('TCP packets to new destination ports arriving at most 3 s apart: ports below 1024 weigh 3, others 1, and it logs at weight 21.');
    expect(f.facts).toMatchObject({ wouldFire: false, weight: 18, threshold: 21, ports: [20, 21, 22, 23, 24, 25], portCount: 6, windowSeconds: 5, tcpPackets: 6 });
  });

  it('replies we send with ACK are named in the summary', () => {
    const evs = [...[1, 2, 3].map((i) => tcp({ src: US, dst: THEM, sport: 80, dport: 30000 + i, flags: 'SA', ts: 10 + i })), syn(22, 20)];
    const f = replay(evs)['ids-replay-scanlogd'];
    expect(f.summary).toBe(`scanlogd could not have fired on our packets from ${US} toward ${THEM}: the highest weight reached is 3 of 21; 3 of our 4 TCP packets had ACK set (replies), which scanlogd ignores.`);
    expect(f.facts).toMatchObject({ ignoredWithAck: 3, tcpPackets: 4 });
  });
});

/** Our probes to `n` ports of THEM (TCP SYN or UDP), `answered` of them refused (RST, or ICMP port unreachable). */
function portscan(n: number, answered: number, o: { udp?: boolean; span?: number } = {}): NetEvent[] {
  const evs: NetEvent[] = [];
  for (let i = 0; i < n; i++) {
    const ts = 100 + (n > 1 ? (i * (o.span ?? n * 0.1)) / (n - 1) : 0);
    const port = 1000 + i;
    if (o.udp) {
      evs.push(udp({ src: US, dst: THEM, sport: 40000, dport: port, ts }));
      if (i < answered) evs.push(icmp({ src: THEM, dst: US, type: 3, code: 3, ts: ts + 0.001 }));
    } else {
      evs.push(syn(port, ts));
      if (i < answered) evs.push(rst(port, ts));
    }
  }
  return evs;
}

const levels = (evs: NetEvent[], accused = [US]): unknown => {
  const f = replay(evs, accused)['ids-replay-sfportscan'];
  return [f.facts?.levelsFiring, f.facts?.alert];
};

describe('Snort sfPortscan, one-to-one portscan (low {pri 5, ports 5}, medium {pri 10, ports 15 or 200 attempts}, high {pri 5, ports 10 or 200})', () => {
  it.each([
    [5, 5, ['low'], 'TCP Portscan'], [4, 4, [], ''], [5, 4, [], ''],
    [10, 5, ['low', 'high'], 'TCP Portscan'], [9, 5, ['low'], 'TCP Portscan'], [10, 4, [], ''],
    [15, 10, ['low', 'medium', 'high'], 'TCP Portscan'], [14, 10, ['low', 'high'], 'TCP Portscan'], [15, 9, ['low', 'high'], 'TCP Portscan'],
    [200, 0, ['medium', 'high'], 'TCP Filtered Portscan'], [199, 0, [], ''],
  ])('TCP: %i ports, %i refused -> %j', (n, refused, lv, alert) => {
    expect(levels(portscan(n, refused))).toEqual([lv, alert]);
  });

  it.each([
    [5, 5, ['low'], 'UDP Portscan'], [4, 4, [], ''], [5, 4, [], ''],
    [10, 3, ['high'], 'UDP Portscan'], [9, 3, [], ''], [10, 2, [], ''],
    [15, 10, ['low', 'medium', 'high'], 'UDP Portscan'], [14, 10, ['low', 'high'], 'UDP Portscan'], [15, 9, ['low', 'high'], 'UDP Portscan'],
    [200, 0, ['medium', 'high'], 'UDP Filtered Portscan'], [199, 0, [], ''],
  ])('UDP (errors are ICMP unreachables): %i ports, %i refused -> %j', (n, refused, lv, alert) => {
    expect(levels(portscan(n, refused, { udp: true }))).toEqual([lv, alert]);
  });

  it.each([
    // windows: low 60 s, medium 90 s, high 600 s; a counted packet after the window resets the counters
    [5, 5, 60, ['low']], [5, 5, 60.5, []],
    [15, 10, 90, ['low', 'medium', 'high']], [15, 10, 90.5, ['low', 'high']],
    [10, 10, 600, ['high']], [10, 10, 600.5, []],
  ])('%i ports, %i refused, spread over %f s -> %j', (n, refused, span, lv) => {
    expect((levels(portscan(n, refused, { span })) as unknown[])[0]).toEqual(lv);
  });

  it.each([
    // a portscan comes from fewer scanner-address changes than: low 25, medium 60, high 100. Two of our
    // addresses take turns on port 80 `n` times, then one of them probes `ports` more ports; every probe refused.
    [24, 5, ['low']], [25, 5, []], [59, 15, ['medium', 'high']], [60, 15, ['high']], [99, 10, ['high']], [100, 10, []],
  ])('%i alternations of two of our addresses, then %i ports -> %j (TCP and UDP alike)', (n, ports, lv) => {
    const [a, b] = [US, '198.51.100.82'];
    const probe = (proto: 'tcp' | 'udp', port: number, ts: number, from: string): NetEvent[] => (proto === 'tcp'
      ? [syn(port, ts, from), rst(port, ts, from)]
      : [udp({ src: from, dst: THEM, sport: 40000, dport: port, ts }), icmp({ src: THEM, dst: from, type: 3, code: 3, ts: ts + 0.001 })]);
    for (const proto of ['tcp', 'udp'] as const) {
      const evs: NetEvent[] = [];
      for (let i = 0; i < n; i++) evs.push(...probe(proto, 80, 100 + i * 0.1, (n - i) % 2 === 1 ? a : b));
      for (let i = 0; i < ports; i++) evs.push(...probe(proto, 1000 + i, 100 + (n + i) * 0.1, a));
      expect((levels(evs, [a, b]) as unknown[])[0]).toEqual(lv);
    }
  });

  it.each([
    // ports must change 5 times (low) whatever the errors: 4 ports with 5 errors (one answer repeated) are no scan
    ['TCP', false], ['UDP', true],
  ])('%s: 4 ports and 5 errors -> nothing', (_p, isUdp) => {
    const evs = portscan(4, 4, { udp: isUdp });
    evs.push(isUdp ? icmp({ src: THEM, dst: US, type: 3, code: 3, ts: 101 }) : rst(1003, 101));
    expect(levels(evs)).toEqual([[], '']);
  });

  it('the summary gives the counts behind the verdict and the levels\' thresholds', () => {
    const five = portscan(5, 5);
    const fired = replay(five)['ids-replay-sfportscan'];
    expect(fired.summary).toBe(`Snort sfPortscan would have raised "TCP Portscan" at sense level low on our traffic to ${THEM}: 5 port changes, 5 open attempts, 5 RST/unreachable answers.`);
    expect(fired.facts).toMatchObject({ wouldFire: true, levelsFiring: ['low'], portChanges: 5, connectionAttempts: 5, errorAnswers: 5, windowSeconds: 60 });
    expect(fired.explanation).toContain('sfPortscan (Snort 2.9 portscan.c) counts connection attempts');
    expect(fired.evidence.map((e) => e.packet)).toEqual(five.map((e) => e.source.packet));
    const none = replay(portscan(4, 4))['ids-replay-sfportscan'];
    expect(none.summary).toBe(`Snort sfPortscan could not have fired on our packets toward ${THEM} at any sense level: at most 4 port changes among connection attempts `
      + 'and 4 error answers (low needs 5 and 5, medium 15 ports with 10 errors or 200 attempts, high 10 ports with 5 errors or 200 attempts).');
    expect(none.explanation).toContain('per scanned host within 60 s (low), 90 s (medium) or 600 s (high).');
  });

  it('quotes the first 12 packets that made the count', () => {
    // Ten probes first, then five errors: the count fires on the fifth error; the first 12 counted are the probes and two errors.
    for (const isUdp of [false, true]) {
      const probesFirst = range(10).map((i) => (isUdp ? udp({ src: US, dst: THEM, sport: 40000, dport: 1000 + i, ts: 100 + i * 0.1 }) : syn(1000 + i, 100 + i * 0.1)));
      const errors = range(5).map((i) => (isUdp ? icmp({ src: THEM, dst: US, type: 3, code: 3, ts: 102 + i * 0.1 }) : rst(1000 + i, 102 + i * 0.1)));
      const f = replay([...probesFirst, ...errors])['ids-replay-sfportscan'];
      expect(f.facts).toMatchObject({ levelsFiring: ['low', 'high'], portChanges: 10, errorAnswers: 5 });
      expect(f.evidence.map((e) => e.packet)).toEqual([...probesFirst, ...errors.slice(0, 2)].map((e) => e.source.packet));
    }
    const filtered = portscan(200, 0);
    expect(replay(filtered)['ids-replay-sfportscan'].evidence.map((e) => e.packet)).toEqual(filtered.slice(0, 12).map((e) => e.source.packet));
  });

  it('TCP and UDP are counted apart: 3 refused TCP ports and 3 refused UDP ports are no 5-port scan', () => {
    const evs = [...portscan(3, 3), ...portscan(3, 3, { udp: true }).map((e) => ({ ...e, ts: e.ts + 1_000_000, dport: e.dport === undefined ? undefined : e.dport + 10 }))];
    expect(levels(evs)).toEqual([[], '']);
  });

  it('a SYN-ACK from them (an open port) takes its attempt back', () => {
    const evs = portscan(200, 0);
    evs.push(tcp({ src: THEM, dst: US, sport: 1199, dport: 40000, flags: 'SA', ts: 200 }), syn(2000, 201));
    expect(replay(evs)['ids-replay-sfportscan'].facts).toMatchObject({ connectionAttempts: 200 });
  });
});

describe('Snort sfPortscan, one-to-many portsweep (low {pri 5, hosts 5, ports <= 15}, medium {7, 7, <= 10 or 30 attempts}, high {3, 3, <= 10 or 30})', () => {
  /** One SYN from us to each of `n` hosts on port 445, all refused unless `refused` says fewer. */
  function sweep(n: number, o: { refused?: number } = {}): NetEvent[] {
    return Array.from({ length: n }, (_, i) => {
      const host = `203.0.113.${i + 1}`;
      const ts = 100 + i * 0.1;
      return i < (o.refused ?? n) ? [syn(445, ts, US, host), rst(445, ts, US, host)] : [syn(445, ts, US, host)];
    }).flat();
  }
  const sweepLevels = (evs: NetEvent[]): unknown => {
    const f = byId(idsReplay.detect(makeContext({ events: evs, accused: [US] })))['ids-replay-sfportscan'];
    return [f.facts?.levelsFiring, f.facts?.alert];
  };

  it.each([
    [2, {}, [], ''], [3, {}, ['high'], 'TCP Portsweep'], [4, {}, ['high'], 'TCP Portsweep'], [5, {}, ['low', 'high'], 'TCP Portsweep'],
    [6, {}, ['low', 'high'], 'TCP Portsweep'], [7, {}, ['low', 'medium', 'high'], 'TCP Portsweep'], [7, { refused: 6 }, ['low', 'high'], 'TCP Portsweep'],
    [5, { refused: 4 }, ['high'], 'TCP Portsweep'], [3, { refused: 2 }, [], ''],
    [30, { refused: 0 }, ['medium', 'high'], 'TCP Filtered Portsweep'], [29, { refused: 0 }, [], ''],
  ] as const)('%i hosts %j -> %j', (n, o, lv, alert) => {
    expect(sweepLevels(sweep(n, o))).toEqual([lv, alert]);
  });

  it.each([
    // hosts a sweep needs, with errors to spare (one refusal repeated): high 3, low 5, medium 7
    [2, []], [4, ['high']], [6, ['low', 'high']],
  ])('%i hosts with one more error than hosts -> %j', (n, lv) => {
    const evs = sweep(n);
    evs.push(rst(445, 200, US, '203.0.113.1'));
    expect((sweepLevels(evs) as unknown[])[0]).toEqual(lv);
  });

  it.each([
    // port changes allowed in a sweep: low 15, medium and high 10. First `m` unanswered probes of one host's ports, then the sweep.
    [9, ['low', 'medium', 'high']], [10, ['low']], [14, ['low']], [15, []],
  ])('%i ports of one host tried first -> %j', (m, lv) => {
    const first = Array.from({ length: m }, (_, i) => syn(2000 + i, 90 + i * 0.1, US, '203.0.113.200'));
    expect((sweepLevels([...first, ...sweep(7)]) as unknown[])[0]).toEqual(lv);
  });
});

describe('Zeek scan.zeek (15 failed ports on a host, 25 failed hosts on a port, in 5 minutes)', () => {
  const zeek = (evs: NetEvent[], targets: string[] = [THEM]): Finding => byId(idsReplay.detect(makeContext({ events: evs, accused: [US], targets })))['ids-replay-zeek-scan'];

  it('15 refused ports fire Port_Scan, 14 do not', () => {
    const f = zeek(portscan(15, 15));
    expect(f.facts).toMatchObject({ wouldFire: true, failedConnections: 15, maxFailedPortsOneHost: 15, maxFailedHostsOnePort: 1 });
    expect(f.summary).toBe(`Zeek's scan.zeek would have raised Port_Scan (15 failed ports on ${THEM}) within 5 minutes.`);
    expect(f.evidence).toHaveLength(12);
    const g = zeek(portscan(14, 14));
    expect(g.facts).toMatchObject({ wouldFire: false, maxFailedPortsOneHost: 14 });
    expect(g.summary).toBe(`Zeek's scan.zeek could not have fired on our traffic toward ${THEM}: at most 14 failed ports on one host (needs 15) and 1 hosts on one port (needs 25) in 5 minutes.`);
  });

  it('unanswered SYNs fail too: 25 hosts on one port fire Address_Scan, 24 do not', () => {
    const hosts = (n: number): NetEvent[] => Array.from({ length: n }, (_, i) => syn(23, 100 + i, US, `203.0.113.${i + 1}`));
    const f = zeek(hosts(25), []);
    expect(f.facts).toMatchObject({ wouldFire: true, maxFailedHostsOnePort: 25 });
    expect(f.summary).toBe('Zeek\'s scan.zeek would have raised Address_Scan (25 hosts on port 23) within 5 minutes.');
    expect(zeek(hosts(24), []).facts).toMatchObject({ wouldFire: false, maxFailedHostsOnePort: 24 });
  });

  it('the 15 failed ports must fall within 300 s: exactly 300 s does, 300.000001 s does not', () => {
    const spread = (last: number): NetEvent[] => [...range(14).map((i) => syn(1000 + i, 100 + i)), syn(2000, 100 + last)];
    expect(zeek(spread(300)).facts).toMatchObject({ wouldFire: true, maxFailedPortsOneHost: 15 });
    expect(zeek(spread(300.000001)).facts).toMatchObject({ wouldFire: false, maxFailedPortsOneHost: 14 });
  });

  it('connections opened and closed without data never failed: 20 of them are no scan', () => {
    const evs = range(20).flatMap((i) => [
      syn(2000 + i, 100 + i), tcp({ src: THEM, dst: US, sport: 2000 + i, dport: 40000, flags: 'SA', ts: 100.01 + i }),
      tcp({ src: US, dst: THEM, sport: 40000, dport: 2000 + i, flags: 'A', ts: 100.02 + i }), tcp({ src: US, dst: THEM, sport: 40000, dport: 2000 + i, flags: 'FA', ts: 100.03 + i }),
      tcp({ src: THEM, dst: US, sport: 2000 + i, dport: 40000, flags: 'FA', ts: 100.04 + i }),
    ]);
    expect(zeek(evs).facts).toMatchObject({ wouldFire: false, failedConnections: 0 });
  });

  it('completed sessions never count, even to many ports; their unanswered SYN-ACKs to us make us the scanner', () => {
    const sessions = Array.from({ length: 20 }, (_, i) => [
      syn(2000 + i, 100 + i), tcp({ src: THEM, dst: US, sport: 2000 + i, dport: 40000, flags: 'SA', ts: 100.01 + i }),
      tcp({ src: US, dst: THEM, sport: 40000, dport: 2000 + i, flags: 'PA', payloadLength: 10, ts: 100.02 + i }),
    ]).flat();
    expect(zeek(sessions).facts).toMatchObject({ wouldFire: false, failedConnections: 0 });
    const synAcks = Array.from({ length: 15 }, (_, i) => tcp({ src: THEM, dst: US, sport: 3000 + i, dport: 40000 + i, flags: 'SA', ts: 100 + i }));
    expect(zeek(synAcks).facts).toMatchObject({ wouldFire: true, maxFailedPortsOneHost: 15 });
  });
});

describe('flag-blind counter and the detector as a whole', () => {
  it('one packet to one port is still counted', () => {
    const f = replay([syn(8080, 10)])['ids-replay-port-count'];
    expect(f.facts).toMatchObject({ target: THEM, distinctPorts: 1, weight: 1, exceedsScanlogdWeight: false, replyPackets: 0 });
  });

  it('counts any packet with scanlogd\'s pacing: 7 privileged ports weigh 21', () => {
    const evs = [21, 22, 23, 25, 53, 80, 110].map((p, i) => tcp({ src: US, dst: THEM, sport: p, dport: p, flags: 'RA', ts: 10 + i }));
    const f = replay(evs)['ids-replay-port-count'];
    expect(f.facts).toMatchObject({ target: THEM, distinctPorts: 7, weight: 21, exceedsScanlogdWeight: true, replyPackets: 7, windowSeconds: 6 });
    expect(f.summary).toBe(`A sensor that counts any packet, replies included, saw 7 different destination ports of ${THEM} from us within 6 s, each new port within 3 s of the previous (weight 21 >= 21); 7 of these 7 packets are replies with ACK set.`);
    expect(f.strength).toBe(0.5);
    expect(f.explanation).toBe('This is what scanlogd-like pacing gives when flags are ignored. Our server answering many clients behind one NAT address, each from its '
      + 'own source port, produces exactly this; scanlogd itself, and Snort\'s sfPortscan, do not count replies.');
    const g = replay(evs.slice(0, 6))['ids-replay-port-count'];
    expect(g.facts).toMatchObject({ weight: 18, exceedsScanlogdWeight: false });
    expect(g.strength).toBe(0.3);
  });

  it('weighs each replay: firm when it fires, a little less when it cannot, little without our traffic, more for the sensor they named', () => {
    const silent = replay([tcp({ src: THEM, dst: US, sport: 1, dport: 2, flags: 'S', ts: 1 })]);
    expect(silent['ids-replay-scanlogd'].strength).toBe(0.4);
    expect(replay(portscan(3, 3))['ids-replay-scanlogd'].strength).toBe(0.6);
    expect(replay(portscan(30, 30))['ids-replay-scanlogd'].strength).toBe(0.7);
    const named = byId(idsReplay.detect(makeContext({ events: portscan(3, 3), accused: [US], targets: [THEM], complaint: { sensor: 'scanlogd' } })));
    expect(named['ids-replay-scanlogd'].strength).toBe(0.7);
    expect(named['ids-replay-scanlogd'].facts?.claimedSensor).toBe(true);
  });

  it('flow records alone give nothing to replay', async () => {
    const events = await readFixture('argus/web-flood.ra-long.txt');
    expect(idsReplay.detect(makeContext({ events, accused: ['198.51.100.80'], targets: ['192.0.2.66'] }))).toEqual([]);
  });
});
