import { beforeEach, describe, expect, it } from 'vitest';
import { synfloodBackscatter, type SynfloodAccumulator } from '../../../analysis/detect/synflood-backscatter';
import { MAX_ANSWER_TUPLES } from '../../../analysis/detect/synflood/answers';
import { MAX_FINGERPRINTS, MAX_SERVICE_PORTS } from '../../../analysis/detect/synflood/syn-stats';
import { MAX_EARLY_FOLLOW_UPS, MAX_HANDSHAKE_TUPLES } from '../../../analysis/detect/synflood/handshakes';
import { DISTINCT_RELATIVE_ERROR } from '../../../analysis/detect/sketch/distinct-counter';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { IPPROTO_TCP, TCP_ACK, TCP_SYN, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp } from '../../helpers/events';
import { corpusContext } from './corpus';
import { readFixture } from './evidence';
import { COMPLAINANT, SERVER } from './web-flood-scenario';

beforeEach(() => resetPacketNumbers());

/** The detector fed `first` then `second` by two accumulators, the second merged into the first. */
function inTwo(ctx: DetectContext, first: NetEvent[], second: NetEvent[]): Finding[] {
  const a = synfloodBackscatter.start(ctx);
  const b = synfloodBackscatter.start(ctx);
  for (const e of first) a.add(e);
  for (const e of second) b.add(e);
  a.merge(b);
  return a.finish(ctx);
}

/** Events in file order, cut at the middle. */
function halves(events: NetEvent[]): [NetEvent[], NetEvent[]] {
  const mid = events.length >> 1;
  return [events.slice(0, mid), events.slice(mid)];
}

describe('synflood-backscatter streaming: two halves merged give the one pass', () => {
  it.each([
    ['pcap/web-flood.pcap', 2],
    ['argus/web-flood.ra-long.txt', 2],
    ['argus/web-flood.ra-default.txt', 2],
  ])('%s, halves in either order', async (rel, expected) => {
    const events = await readFixture(rel);
    const ctx = makeContext({ events, accused: [SERVER], targets: [COMPLAINANT] });
    const one = synfloodBackscatter.detect(ctx);
    expect(one.map((f) => f.id)).toEqual(['inbound-syn-flood', 'backscatter-to-complainant'].slice(0, expected));
    const [h1, h2] = halves(events);
    expect(inTwo(ctx, h1, h2)).toEqual(one);
    // The later half read first (another worker, another file order): the same findings.
    expect(inTwo(ctx, h2, h1)).toEqual(one);
  });

  it('seed 001 border capture (1,716 SYNs, more than a port keeps for quoting): the same facts, summary and first and last quote', async () => {
    const ctx = await corpusContext('cases/seed001-synflood-backscatter/www-border.pcap', ['198.51.100.80'], ['192.0.2.66']);
    const one = synfloodBackscatter.detect(ctx);
    const [h1, h2] = halves(ctx.events);
    const two = inTwo(ctx, h1, h2);
    expect(two.map((f) => [f.id, f.leaning, f.strength, f.summary, f.facts])).toEqual(one.map((f) => [f.id, f.leaning, f.strength, f.summary, f.facts]));
    expect(one[0].facts).toMatchObject({ syns: 1716, sources: 1580, completed: 0, attempts: 1716 });
    for (const [x, y] of two.map((f, i) => [f, one[i]])) {
      expect(x.evidence[0]).toEqual(y.evidence[0]);
      expect(x.evidence.at(-1)).toEqual(y.evidence.at(-1));
    }
  });

  it('a target found only at the end (the complaint named none) is answered from the events the pipeline kept', async () => {
    const events = await readFixture('pcap/web-flood.pcap');
    const ctx = makeContext({ events, accused: [SERVER], targets: [COMPLAINANT] });
    const acc = synfloodBackscatter.start({ ...ctx, targets: [] });
    for (const e of events) acc.add(e);
    expect(acc.finish(ctx)).toEqual(synfloodBackscatter.detect(ctx));
  });
});

const addr = (i: number): string => `${11 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
const T = 1_766_000_000_000_000;
const syn = (i: number, src: string, sport: number, dport = 80): NetEvent => ({
  kind: 'packet', ts: T + i * 100, src, dst: SERVER, sport, dport, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, ttl: 30 + (i % 200), window: 512,
  source: { file: 'flood.pcap', packet: i + 1, offset: 24 + i * 76 },
});
const ack = (i: number, src: string, sport: number): NetEvent => ({ ...syn(i, src, sport), tcpFlags: TCP_ACK, ttl: 50 });

describe('synflood-backscatter streaming: bounded memory', () => {
  it('1 M forged SYNs, a tenth completed (some ACKs read before their SYN): tables stay under their caps, completion is estimated and said so', () => {
    const ctx = makeContext({ events: [], accused: [SERVER] });
    const acc = synfloodBackscatter.start(ctx) as SynfloodAccumulator;
    const n = 1_000_000;
    for (let i = 0; i < n; i++) {
      const src = addr(i);
      const sport = 1024 + (i % 60000);
      if (i % 20 === 0) acc.add(ack(i, src, sport));
      acc.add(syn(i, src, sport));
      if (i % 20 === 10) acc.add(ack(i, src, sport));
    }
    const server = acc.servers.get(SERVER)!.syns;
    expect(server.handshakes.size.attempts).toBeLessThanOrEqual(MAX_HANDSHAKE_TUPLES);
    expect(server.handshakes.size.early).toBeLessThanOrEqual(MAX_EARLY_FOLLOW_UPS);
    expect(server.handshakes.exact).toBe(false);
    const port = server.ports.get(80)!;
    expect(port.quotes.size).toBeLessThanOrEqual(port.quotes.cap);
    expect(port.fingerprints.size).toBeLessThanOrEqual(MAX_FINGERPRINTS);

    const [f, ...rest] = acc.finish(ctx);
    expect(rest).toEqual([]);
    const facts = f.facts as Record<string, number>;
    expect(facts.syns).toBe(n);
    expect(Math.abs(facts.sources - n) / n).toBeLessThan(3 * DISTINCT_RELATIVE_ERROR);
    expect(Math.abs(facts.attempts - n) / n).toBeLessThan(3 * DISTINCT_RELATIVE_ERROR);
    expect(facts.ttlDistinct).toBe(200);
    expect(facts.fingerprintShare).toBe(100);
    expect(f.facts).toMatchObject({ completedEstimated: true, sourcesRelativeStdError: '0.81%' });
    // The hash sample keeps a 4-tuple's SYN and its ACK together, so the share of completed attempts holds.
    expect(facts.completed / facts.attempts).toBeGreaterThan(0.09);
    expect(facts.completed / facts.attempts).toBeLessThan(0.11);
    expect(facts.handshakesSampled).toBeLessThanOrEqual(MAX_HANDSHAKE_TUPLES);
    expect(f.summary).toContain(`${n} SYNs from about ${facts.sources} different source addresses`);
    expect(f.summary).toContain(`estimated from ${facts.handshakesSampled} attempts sampled by hash`);
    // Quotes: the first SYN and the last, by time.
    expect(f.evidence[0].packet).toBe(1);
    expect(f.evidence.at(-1)!.packet).toBe(n);
  });

  it(`past ${MAX_ANSWER_TUPLES} port pairs per target, the provoked share is estimated from the hash sample and said so`, () => {
    const ctx = makeContext({ events: [], accused: [SERVER], targets: [COMPLAINANT] });
    const acc = synfloodBackscatter.start(ctx) as SynfloodAccumulator;
    let i = 0;
    for (const dport of [80, 81]) {
      for (let sport = 1; sport <= 20000; sport++, i++) {
        acc.add(tcp({ src: COMPLAINANT, dst: SERVER, sport, dport, flags: 'S', ts: 100 + i / 1000 }));
        acc.add(tcp({ src: SERVER, dst: COMPLAINANT, sport: dport, dport: sport, flags: 'SA', ts: 100 + i / 1000 + 1e-4 }));
      }
    }
    // Answers on port 82 that no SYN from them provoked.
    for (let sport = 1; sport <= 10000; sport++, i++) acc.add(tcp({ src: SERVER, dst: COMPLAINANT, sport: 82, dport: sport, flags: 'RA', ts: 100 + i / 1000 }));
    const pair = acc.tracker.get(SERVER, COMPLAINANT)!.packets;
    expect(pair.tuples.size).toBeLessThanOrEqual(MAX_ANSWER_TUPLES);
    expect(pair.quotes.size).toBeLessThanOrEqual(pair.quotes.cap);
    const [f] = acc.finish(ctx);
    expect(f.id).toBe('backscatter-to-complainant');
    const facts = f.facts as Record<string, number>;
    expect(facts).toMatchObject({ answers: 50000, synAcks: 40000, rsts: 10000, distinctPorts: 20000, provokedEstimated: true });
    expect(Math.abs(facts.provoked - 40000) / 40000).toBeLessThan(0.05);
    expect(f.summary).toContain(`about ${facts.provoked} of 50000 (estimated from ${facts.answersSampled} answers sampled by hash`);
  });

  it(`a flood on a server with more than ${MAX_EARLY_FOLLOW_UPS} connections open before the capture: the facts say the early follow-ups were sampled`, () => {
    /** ACKs of `open` sessions whose SYN came before the capture began, then 1000 forged SYNs; the flood facts. */
    const flood = (open: number): Record<string, unknown> => {
      const acc = synfloodBackscatter.start(makeContext({ events: [], accused: [SERVER] })) as SynfloodAccumulator;
      for (let i = 0; i < open; i++) acc.add(ack(i, addr(i), 1024 + (i % 60000)));
      for (let i = 0; i < 1000; i++) acc.add(syn(open + i, addr(0x0200_0000 + i), 1024 + i));
      const [f] = acc.finish(makeContext({ events: [], accused: [SERVER] }));
      expect(f.id).toBe('inbound-syn-flood');
      expect(f.facts).toMatchObject({ syns: 1000, completed: 0, attempts: 1000 });
      return f.facts!;
    };
    expect(flood(MAX_EARLY_FOLLOW_UPS).earlyFollowUpsSampled).toBeUndefined();
    expect(flood(MAX_EARLY_FOLLOW_UPS + 1).earlyFollowUpsSampled).toBe(true);
  });

  it(`SYNs to ports past the first ${MAX_SERVICE_PORTS} are counted and said, not dropped`, () => {
    const events: NetEvent[] = [];
    for (let p = 1; p <= MAX_SERVICE_PORTS + 10; p++) events.push(syn(p, '203.0.113.9', 40000, p));
    const [f, ...rest] = synfloodBackscatter.detect(makeContext({ events, accused: [SERVER] }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'syn-ports-beyond-bound', leaning: 'context', strength: 0 });
    expect(f.facts).toMatchObject({ untracked: 10, untrackedPorts: 10, maxServicePorts: MAX_SERVICE_PORTS, fromFlowRecords: false });
  });
});
