import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bruteForce } from '../../../analysis/detect/brute-force';
import { Quantiles } from '../../../analysis/detect/brute-force/quantiles';
import { MAX_OPEN_SESSIONS, SessionTable, type OpenSession } from '../../../analysis/detect/brute-force/sessions';
import type { Finding } from '../../../analysis/detect/detector';
import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_SYN, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';
import { loadEvents } from '../../helpers/load-events';
import { corpusDir } from '../../helpers/paths';

/**
 * brute-force as a streaming detector: a capture (or a flow log) cut in two
 * at any record, read by two accumulators and merged either way round, gives
 * what one pass and the batch call give; packets in reverse order give the
 * same; the open-session table and the duration summaries stay bounded and
 * say so in the facts when they had to estimate or cut short.
 */

const US = '198.51.100.90';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());

async function corpusEvents(rel: string): Promise<NetEvent[]> {
  const path = join(corpusDir, rel);
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests need ../shared/corpus beside the checkout`);
  return loadEvents(path);
}

function split(events: readonly NetEvent[], accused: string[], at: number, reversed: boolean): Finding[] {
  const ctx = makeContext({ events: [...events], accused });
  const first = bruteForce.start(ctx), second = bruteForce.start(ctx);
  events.forEach((ev, i) => (i < at ? first : second).add(ev));
  if (reversed) { second.merge(first); return second.finish(ctx); }
  first.merge(second);
  return first.finish(ctx);
}

function onePass(events: readonly NetEvent[], accused: string[]): Finding[] {
  const ctx = makeContext({ events: [...events], accused });
  const acc = bruteForce.start(ctx);
  for (const ev of events) acc.add(ev);
  return acc.finish(ctx);
}

describe('brute-force streaming: halves merged equal one pass', () => {
  it.each([
    ['pcap/zeek__ssh_sshguess.pcap', '192.168.56.1', 'brute-force-sessions'],
    ['pcap/zeek__ftp_bruteforce.pcap', '192.168.56.1', 'brute-force-sessions'],
    ['zeek/rita__internet_host_2024-04-19_01h.conn.log', '77.221.158.250', 'brute-force-sessions'],
    ['argus/generated__zeek_ftp_bruteforce.ra-default.txt', '192.168.56.1', 'brute-force-sessions'],
    ['argus/generated__zeek_ftp_bruteforce.ra-long.txt', '192.168.56.1', 'brute-force-sessions'],
    ['hostlogs/fail2ban__sshd.log', '192.0.2.1', 'brute-force-logs'],
  ])('%s: cut at a third, at the middle, at two thirds', async (file, accused, id) => {
    const events = await corpusEvents(file);
    const batch = bruteForce.detect(makeContext({ events, accused: [accused] }));
    expect(batch.map((f) => f.id)).toEqual([id]);
    expect(onePass(events, [accused])).toEqual(batch);
    for (const at of [Math.floor(events.length / 3), events.length >> 1, Math.floor((2 * events.length) / 3)]) {
      expect(split(events, [accused], at, false)).toEqual(batch);
      expect(split(events, [accused], at, true)).toEqual(batch);
    }
  });

  it('a capture read backwards finds the same: a session is summarised without regard to order', async () => {
    const events = await corpusEvents('pcap/zeek__ftp_bruteforce.pcap');
    const forward = onePass(events, ['192.168.56.1']);
    expect(forward[0].facts).toMatchObject({ sessions: 30, loginFailures: 30 });
    expect(onePass([...events].reverse(), ['192.168.56.1'])).toEqual(forward);
  });

  it('a session whose SYN is in one half and whose refusal and FIN are in the other is one refused attempt', () => {
    const c = { src: US, dst: THEM, sport: 40000, dport: 21 };
    const s = { src: THEM, dst: US, sport: 21, dport: 40000 };
    const evs = [
      tcp({ ...c, flags: 'S', ts: 100 }), tcp({ ...s, flags: 'SA', ts: 100.01 }),
      tcp({ ...s, flags: 'PA', payloadLength: 22, payload: new TextEncoder().encode('530 Login incorrect.\r\n'), ts: 101 }),
      tcp({ ...c, flags: 'FA', ts: 103 }),
    ];
    for (let i = 1; i < 5; i++) evs.push(...[0, 1].map((k) => tcp({ ...(k ? s : c), sport: k ? 21 : 40000 + i, dport: k ? 40000 + i : 21, flags: k ? 'SA' : 'S', ts: 110 + i })));
    // Five sessions: four SYN/SYN-ACK pairs and the one above; only one refusal, so no finding by failures...
    expect(split(evs, [US], 2, false)).toEqual([]);
    // ...but the split session's facts survive the merge: with four more refusals it is a finding.
    const more = [1, 2, 3, 4].map((i) => tcp({ ...s, dport: 40000 + i, flags: 'PA', payloadLength: 22, payload: new TextEncoder().encode('530 Login incorrect.\r\n'), ts: 120 + i }));
    const [f] = split([...evs, ...more], [US], 2, true);
    expect(f.facts).toMatchObject({ sessions: 5, loginFailures: 5, medianSessionSeconds: 10 });
  });
});

describe('brute-force streaming bounds', () => {
  it('the open-session table finishes closed and idle sessions when full, then evicts the longest idle and counts them', () => {
    const retired: OpenSession[] = [];
    const table = new SessionTable((s) => retired.push(s), 100);
    const add = (i: number, ts: number, flags: number, outbound = true): void => {
      const ev: NetEvent = { kind: 'packet', ts: ts * 1e6, src: US, dst: THEM, sport: 30000 + i, dport: 22, proto: IPPROTO_TCP, tcpFlags: flags, source: { file: 'x.pcap', offset: i } };
      table.add(ev, `k${i}`, US, THEM, 22, outbound);
    };
    // 100 sessions opened at t=0..99 s; the first 50 closed by FINs both ways.
    for (let i = 0; i < 100; i++) {
      add(i, i, TCP_SYN);
      if (i < 50) { add(i, i + 1, TCP_FIN | TCP_ACK); add(i, i + 1, TCP_FIN | TCP_ACK, false); }
    }
    expect(table.open.size).toBe(100);
    // At t=120 s the sessions closed more than 60 s before (opened at 0..58) are finished; none is idle for 600 s.
    add(100, 120, TCP_SYN);
    expect(retired.length).toBe(50);
    expect(table.evicted).toBe(0);
    // Fill up again within the same second: nothing is closed or idle, so the quarter idle longest goes.
    for (let i = 101; table.open.size < 100; i++) add(i, 120, TCP_SYN);
    const before = retired.length;
    add(1000, 120.5, TCP_SYN);
    expect(table.evicted).toBe(25);
    expect(retired.length - before).toBe(25);
    expect(table.open.size).toBeLessThanOrEqual(100);
  });

  it('past the table limit every session is still counted, and the finding says sessions were cut short', () => {
    const n = MAX_OPEN_SESSIONS + 5000;
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = bruteForce.start(ctx);
    const source = { file: 'big.pcap', offset: 0 };
    // Sessions that never close (the capture ended first), one every 10 ms.
    for (let i = 0; i < n; i++) {
      const ts = 1_700_000_000e6 + i * 10_000;
      const sport = 1024 + (i % 60000), dst = `192.0.2.${1 + Math.floor(i / 60000)}`;
      acc.add({ kind: 'packet', ts, src: US, dst, sport, dport: 22, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source });
      acc.add({ kind: 'packet', ts: ts + 1000, src: dst, dst: US, sport: 22, dport: sport, proto: IPPROTO_TCP, tcpFlags: TCP_SYN | TCP_ACK, source });
    }
    const findings = acc.finish(ctx);
    expect(findings.map((f) => f.id)).toEqual(['brute-force-sessions']);
    const f = findings[0];
    expect(f.facts?.sessions).toBe(n);
    expect(f.facts?.sessionTableOverflow as number).toBeGreaterThan(0);
    expect(f.facts?.medianEstimated).toBe(true);
  });
});

describe('Quantiles', () => {
  const values = Array.from({ length: 5000 }, (_, i) => 1 + ((i * 7919) % 5000) / 100);
  const truth = (q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

  it('is exact while small: the median of an even count averages the middle two', () => {
    const q = new Quantiles();
    for (const v of [4, 1, 3, 2]) q.add(v);
    expect(q.exact).toBe(true);
    expect(q.median()).toBe(2.5);
    expect(new Quantiles().median()).toBe(0);
  });

  it('past its limit estimates within 1% and says so', () => {
    const q = new Quantiles(256);
    for (const v of values) q.add(v);
    expect(q.exact).toBe(false);
    for (const p of [0.1, 0.25, 0.5, 0.75, 0.9]) expect(Math.abs(q.quantile(p) - truth(p)) / truth(p)).toBeLessThan(0.011);
  });

  it('two halves merge into the summary of one pass (exact with exact, buckets with buckets, and mixed)', () => {
    const one = new Quantiles(256);
    for (const v of values) one.add(v);
    for (const cut of [100, 2500, 4900]) {
      const a = new Quantiles(256), b = new Quantiles(256);
      values.forEach((v, i) => (i < cut ? a : b).add(v));
      a.merge(b);
      expect(a.count).toBe(values.length);
      for (const p of [0.1, 0.5, 0.9]) expect(a.quantile(p)).toBe(one.quantile(p));
    }
  });
});
