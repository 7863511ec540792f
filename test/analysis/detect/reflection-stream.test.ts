import { describe, expect, it } from 'vitest';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { reflection } from '../../../analysis/detect/reflection';
import { IPPROTO_ICMP, IPPROTO_UDP, type NetEvent } from '../../../analysis/events/event';
import { evidenceContext } from './evidence';
import { THEM, T0, US, dnsFlood, realClient } from './reflection-traffic';

/**
 * The reflection accumulator as a streaming one: two halves merged equal
 * one pass; the requests of each amplifying service are named from their
 * bytes (the bounds are in reflection-bounds.slow.test.ts).
 */

function inTwo(ctx: DetectContext, first: NetEvent[], second: NetEvent[]): Finding[] {
  const a = reflection.start(ctx);
  const b = reflection.start(ctx);
  for (const e of first) a.add(e);
  for (const e of second) b.add(e);
  a.merge(b);
  return a.finish(ctx);
}

describe('reflection: merge', () => {
  it('flood, a real client, a TCP connection of theirs and their ICMP refusals: two halves merged, either way, give the one pass', async () => {
    const cap = realClient(Array.from({ length: 12 }, (_, i) => `n${i}.example.org`), 60);
    dnsFlood({ n: 600, gapUs: 1500, answerSize: 900, ttls: [50, 51, 120], start: T0 + 5e6 }, cap);
    cap.tcp(T0 + 20e6, { src: THEM, dst: US, sport: 50500, dport: 22, flags: 'S' });
    const ctx = await evidenceContext('merge.pcap', cap.pcap(), [US], [THEM]);
    const refusals: NetEvent[] = Array.from({ length: 5 }, (_, i) => ({
      kind: 'packet', ts: T0 + 6e6 + i, src: THEM, dst: US, proto: IPPROTO_ICMP, ttl: 60,
      icmp: { type: 3, code: 3, quoted: { src: US, dst: THEM, proto: IPPROTO_UDP, sport: 53, dport: 80 } },
      source: { file: 'icmp.pcap', packet: i + 1, offset: 24 + i * 80 },
    }));
    const events = [...ctx.events, ...refusals];
    const one = reflection.detect({ ...ctx, events });
    expect(one).toHaveLength(1);
    expect(one[0].facts).toMatchObject({ refusedByTarget: 5, targetInitiated: 1, ttlDistinct: 4, requests: 624, answers: 624 });
    for (const at of [1, events.length >> 2, events.length >> 1, events.length - 1]) {
      const [h1, h2] = [events.slice(0, at), events.slice(at)];
      expect(inTwo(ctx, h1, h2)).toEqual(one);
      expect(inTwo(ctx, h2, h1)).toEqual(one);
    }
  });
});

