import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import {
  replayZeekScan, slidingMax, ZEEK_ADDR_THRESHOLD, ZEEK_ALARMS, ZEEK_INTERVAL_S, ZEEK_PORT_THRESHOLD, ZEEK_THRESHOLD_TEXT, zeekFailedAttempts,
  type ZeekAttempt,
} from '../../../analysis/sensors/zeek-scan';
import { resetPacketNumbers, tcp, tcpSession } from '../../helpers/events';

/**
 * Zeek policy/misc/scan.zeek: Port_Scan at 15 failed ports of one host,
 * Address_Scan at 25 hosts failing on one port, within 5 minutes; only
 * failed connections count.
 */
const US = '198.51.100.81';
const THEM = '192.0.2.10';
const isUs = (a: string | undefined): boolean => a === US;
beforeEach(() => resetPacketNumbers());

/** Our SYN to `dst`:`dport`, refused. */
const refused = (dst: string, dport: number, ts: number): NetEvent[] => [
  tcp({ src: US, dst, sport: 40000 + dport % 1000, dport, flags: 'S', ts }),
  tcp({ src: dst, dst: US, sport: dport, dport: 40000 + dport % 1000, flags: 'RA', ts: ts + 0.001 }),
];
const ports = (n: number, span = n): NetEvent[] => Array.from({ length: n }, (_, i) => refused(THEM, 1000 + i, 100 + (n > 1 ? (i * span) / (n - 1) : 0))).flat();
const hosts = (n: number): NetEvent[] => Array.from({ length: n }, (_, i) => refused(`192.0.2.${20 + i}`, 22, 100 + i)).flat();

describe('scan.zeek: each notice one below and at its threshold', () => {
  it('Port_Scan: failed ports of one host', () => {
    expect(replayZeekScan(ports(ZEEK_PORT_THRESHOLD), isUs)).toMatchObject({ portFired: true, addrFired: false, portScan: { max: ZEEK_PORT_THRESHOLD, victim: THEM } });
    expect(replayZeekScan(ports(ZEEK_PORT_THRESHOLD - 1), isUs)).toMatchObject({ portFired: false, portScan: { max: ZEEK_PORT_THRESHOLD - 1 } });
  });

  it('Address_Scan: hosts failing on one port', () => {
    expect(replayZeekScan(hosts(ZEEK_ADDR_THRESHOLD), isUs)).toMatchObject({ addrFired: true, portFired: false, addrScan: { max: ZEEK_ADDR_THRESHOLD, port: 22 } });
    expect(replayZeekScan(hosts(ZEEK_ADDR_THRESHOLD - 1), isUs)).toMatchObject({ addrFired: false, addrScan: { max: ZEEK_ADDR_THRESHOLD - 1 } });
  });

  it('the 5-minute interval holds the burst at its length and not a second beyond', () => {
    expect(replayZeekScan(ports(ZEEK_PORT_THRESHOLD, ZEEK_INTERVAL_S), isUs).portFired).toBe(true);
    expect(replayZeekScan(ports(ZEEK_PORT_THRESHOLD, ZEEK_INTERVAL_S + 1), isUs).portFired).toBe(false);
  });

  it('the attempts counted are one per port, in time order', () => {
    const r = replayZeekScan([...ports(ZEEK_PORT_THRESHOLD), ...refused(THEM, 1000, 200)], isUs);
    expect(r.counted.map((a) => a.port)).toEqual(Array.from({ length: ZEEK_PORT_THRESHOLD }, (_, i) => 1000 + i));
  });
});

describe('scan.zeek: Address_Scan among a vertical scan', () => {
  /** The busiest port as grouping every attempt by port and sliding a window over each list gives it. */
  function busiestByLists(events: NetEvent[]): { max: number; port: number; window: number[] } {
    const byPort = new Map<number, ZeekAttempt[]>();
    for (const a of zeekFailedAttempts(events, isUs)) byPort.set(a.port, [...(byPort.get(a.port) ?? []), a]);
    let best = { max: 0, port: 0, window: [] as number[] };
    for (const [port, list] of byPort) {
      const r = slidingMax(list, (a) => a.victim);
      if (r.max > best.max) best = { max: r.max, port, window: r.window.map((a) => a.ts) };
    }
    return best;
  }
  const shown = (events: NetEvent[]) => {
    const r = replayZeekScan(events, isUs).addrScan;
    return { max: r.max, port: r.port, window: r.window.map((a) => a.ts) };
  };

  it('a port swept over three hosts beats a thousand ports of one attempt each, wherever it falls among them', () => {
    for (const at of [0, 500, 999]) {
      const swept = [20, 21, 22].flatMap((h) => refused(`192.0.2.${h}`, 8080, 100 + at + h / 100));
      const events = [...ports(1000).slice(0, 2 * at), ...swept, ...ports(1000).slice(2 * at)];
      expect(shown(events)).toEqual({ ...busiestByLists(events), max: 3, port: 8080 });
    }
  });

  it('on a tie the first port attempted wins; with one attempt per port, the first port', () => {
    const two = (port: number, ts: number): NetEvent[] => [...refused('192.0.2.30', port, ts), ...refused('192.0.2.31', port, ts + 1)];
    const tie = [...ports(50), ...two(9001, 300), ...two(9000, 310)];
    expect(shown(tie)).toEqual({ ...busiestByLists(tie), max: 2, port: 9001 });
    expect(shown(ports(50))).toEqual({ ...busiestByLists(ports(50)), max: 1, port: 1000 });
  });

  it('a port outside 0-65535 (the replay takes any events, not only decoded ones) is counted like any other', () => {
    const odd = [...ports(20), ...[40, 41, 42, 43].flatMap((h) => refused(`192.0.2.${h}`, 99999, 400 + h))];
    expect(shown(odd)).toEqual({ ...busiestByLists(odd), max: 4, port: 99999 });
  });
});

describe('scan.zeek: what fails', () => {
  it('completed sessions never count, however many ports', () => {
    const evs = Array.from({ length: 40 }, (_, i) => tcpSession({ client: US, server: THEM, sport: 41000 + i, dport: 1000 + i, ts: 100 + i, bytes: 10 })).flat();
    expect(zeekFailedAttempts(evs, isUs)).toEqual([]);
  });

  it('an unanswered SYN counts (S0), and their unanswered SYN-ACK names us on their port', () => {
    const s0 = tcp({ src: US, dst: THEM, sport: 40001, dport: 23, flags: 'S', ts: 10 });
    const synAck = tcp({ src: THEM, dst: US, sport: 443, dport: 50000, flags: 'SA', ts: 11 });
    expect(zeekFailedAttempts([s0, synAck], isUs).map((a) => [a.victim, a.port])).toEqual([[THEM, 23], [THEM, 443]]);
  });
});

describe('scan.zeek: its thresholds in words', () => {
  it('the alarm table and the first look\'s sentence give the same numbers', () => {
    expect(ZEEK_ALARMS.map((a) => [a.count, a.unit, a.windowS])).toEqual([[15, 'ports', 300], [25, 'hosts', 300]]);
    expect(ZEEK_THRESHOLD_TEXT).toBe('Zeek scan.zeek counts only failed TCP connections: Port_Scan at 15 ports of one host, Address_Scan at one port on 25 hosts, within 5 minutes; completed sessions never count');
  });
});

describe('slidingMax', () => {
  const attempt = (ts: number, port: number): ZeekAttempt => ({ ts, victim: THEM, port, ev: { kind: 'packet', ts } as NetEvent });
  /** Every window checked from scratch: the definition the one-pass version must meet. */
  const naive = (items: ZeekAttempt[]): { max: number; window: ZeekAttempt[] } => {
    let best = { max: 0, window: [] as ZeekAttempt[] };
    for (let hi = 0; hi < items.length; hi++) {
      let lo = 0;
      while (items[hi].ts - items[lo].ts > ZEEK_INTERVAL_S * 1e6) lo++;
      const n = new Set(items.slice(lo, hi + 1).map((a) => a.port)).size;
      if (n > best.max) best = { max: n, window: items.slice(lo, hi + 1) };
    }
    return best;
  };

  it('finds the first window with the most distinct keys, as checking every window does', () => {
    let seed = 7;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let round = 0; round < 20; round++) {
      let ts = 0;
      const items = Array.from({ length: 300 }, () => attempt((ts += rand(20e6)), rand(40)));
      const got = slidingMax(items, (a) => a.port);
      const want = naive(items);
      expect(got.max).toBe(want.max);
      expect(got.window).toEqual(want.window);
    }
  });

  it('cuts the window once, however often the maximum grows (a copy per new maximum was quadratic on a scan)', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => attempt(i, i));
    const slice = vi.spyOn(items, 'slice');
    const got = slidingMax(items, (a) => a.port);
    expect(got.max).toBe(20_000);
    expect(got.window).toHaveLength(20_000);
    expect(slice).toHaveBeenCalledTimes(1);
  });
});
