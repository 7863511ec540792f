import { describe, expect, it } from 'vitest';
import { icmpBackscatter, type IcmpAccumulator } from '../../../analysis/detect/icmp-backscatter';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { IPPROTO_ICMP, IPPROTO_UDP, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { corpusContext } from './corpus';

const US = '192.168.1.25';
const THEM = '192.168.1.10';

function inTwo(ctx: DetectContext, first: NetEvent[], second: NetEvent[]): Finding[] {
  const a = icmpBackscatter.start(ctx);
  const b = icmpBackscatter.start(ctx);
  for (const e of first) a.add(e);
  for (const e of second) b.add(e);
  a.merge(b);
  return a.finish(ctx);
}

describe('icmp-backscatter streaming', () => {
  it('nmap IP protocol scan (253 answers): two halves merged, in either order, give the one pass', async () => {
    const ctx = await corpusContext('pcap/evilfingers__IP_PROTOCOL_SCAN.pcap', [US], [THEM]);
    const one = icmpBackscatter.detect(ctx);
    expect(one.map((f) => f.facts?.answers)).toEqual([253]);
    const mid = ctx.events.length >> 1;
    const [h1, h2] = [ctx.events.slice(0, mid), ctx.events.slice(mid)];
    expect(inTwo(ctx, h1, h2)).toEqual(one);
    // The later half first: the quoted example is still the earliest answer quoting them.
    expect(inTwo(ctx, h2, h1)).toEqual(one);
  });

  it('a target found only at the end (the complaint named none) is answered from the events the pipeline kept', async () => {
    const ctx = await corpusContext('pcap/evilfingers__IP_PROTOCOL_SCAN.pcap', [US], [THEM]);
    const acc = icmpBackscatter.start({ ...ctx, targets: [] });
    for (const e of ctx.events) acc.add(e);
    expect(acc.finish(ctx)).toEqual(icmpBackscatter.detect(ctx));
  });

  it('1 M port unreachables: counts exact, quotes bounded, the first and last quoted, the earliest quoted header explained', () => {
    const T = 1_766_000_000_000_000;
    const ctx = makeContext({ events: [], accused: [US], targets: [THEM] });
    const acc = icmpBackscatter.start(ctx) as IcmpAccumulator;
    const n = 1_000_000;
    // Read from the end backwards: order must not matter.
    for (let i = n - 1; i >= 0; i--) {
      acc.add({
        kind: 'packet', ts: T + i * 10, src: US, dst: THEM, proto: IPPROTO_ICMP, ttl: 64,
        icmp: { type: 3, code: 3, quoted: { src: THEM, dst: US, proto: IPPROTO_UDP, sport: 5353, dport: 1024 + (i % 60000) } },
        source: { file: 'unreach.pcap', packet: i + 1, offset: 24 + i * 70 },
      });
    }
    const pair = acc.pairs.get(US, THEM)!;
    expect(pair.quotes.size).toBeLessThanOrEqual(pair.quotes.cap);
    const [f] = acc.finish(ctx);
    expect(f.facts).toEqual({ server: US, target: THEM, answers: n, quotedFromTarget: n, types: ['destination unreachable'] });
    expect(f.explanation).toContain(`The quoted header reads ${THEM}:5353 -> ${US}:1024:`);
    expect(f.evidence).toHaveLength(8);
    expect(f.evidence[0].packet).toBe(1);
    expect(f.evidence.at(-1)!.packet).toBe(n);
  });
});
