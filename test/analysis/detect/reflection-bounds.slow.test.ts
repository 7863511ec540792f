import { describe, expect, it } from 'vitest';
import type { DetectContext } from '../../../analysis/detect/detector';
import { reflection, type ReflectionAccumulator } from '../../../analysis/detect/reflection';
import { figures } from '../../../analysis/detect/reflection/finding';
import { IPPROTO_UDP } from '../../../analysis/events/event';
import { THEM, T0, US, dnsQuery } from './reflection-traffic';

/** The reflection accumulator under a million forged sources, or a million distinct names: bounded, its counts still right. */

describe('reflection: bounds', () => {
  it('1 M requests, each from a different forged source, none named: pairs stop at the bound, the rest are counted', () => {
    const ctx: DetectContext = { complaint: undefined as never, accused: [US], targets: [], events: [], isOurs: (a) => a === US, timeOffsetSeconds: 0 };
    const acc = reflection.start(ctx) as ReflectionAccumulator;
    const n = 1_000_000;
    const payload = dnsQuery(1, 'isc.org', 'ANY');
    for (let i = 0; i < n; i++) {
      const src = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      acc.add({ kind: 'packet', ts: T0 + i, src, dst: US, sport: 1024 + (i % 60000), dport: 53, proto: IPPROTO_UDP, ttl: 50, payloadLength: payload.length, payload, source: { file: 'f.pcap', offset: 24 + i * 90 } });
    }
    expect(acc.pairs.size).toBe(1024);
    expect(acc.turnedAway).toBe(n - 1024);
    const peers = acc.turnedAwayPeers.count();
    expect(Math.abs(peers - (n - 1024)) / (n - 1024)).toBeLessThan(0.03);
    // No answers went out: nothing was reflected, whatever arrived.
    expect(acc.finish(ctx)).toEqual([]);
  });

  it('1 M forged requests from one address with a million different names: the signatures stop at their bound, the share stays right', () => {
    const ctx: DetectContext = { complaint: undefined as never, accused: [US], targets: [THEM], events: [], isOurs: (a) => a === US, timeOffsetSeconds: 0 };
    const acc = reflection.start(ctx) as ReflectionAccumulator;
    const n = 1_000_000;
    for (let i = 0; i < n; i++) {
      const q = dnsQuery(i & 0xffff, `r${i}.example.net`, 'ANY');
      acc.add({ kind: 'packet', ts: T0 + i * 100, src: THEM, dst: US, sport: 80, dport: 53, proto: IPPROTO_UDP, ttl: 50, payloadLength: q.length, payload: q, source: { file: 'f.pcap', offset: 24 + i * 200 } });
      acc.add({ kind: 'packet', ts: T0 + i * 100 + 30, src: US, dst: THEM, sport: 53, dport: 80, proto: IPPROTO_UDP, ttl: 64, payloadLength: 1200, payload: new Uint8Array([0, 0, 0x81, 0x80]), source: { file: 'f.pcap', offset: 24 + i * 200 + 100 } });
    }
    const p = acc.pairs.get(`${US}|53|${THEM}`)!;
    expect(p.signatures.size).toBe(64);
    expect(p.otherSignatures).toBe(n - 64);
    // The sample's limit, and the latest request beside it.
    expect(p.requestQuotes.events().length).toBeLessThanOrEqual(65);
    expect(p.distinctSignatures.exact).toBe(false);
    expect(Math.abs(p.distinctSignatures.count() - n) / n).toBeLessThan(0.03);
    const fig = figures(p);
    expect(fig.identical).toBe(0);
    // Varied names, but a million of them at 10,000 a second answered 30-odd times their size: reflection all the same.
    const [f] = acc.finish(ctx);
    expect(f.facts).toMatchObject({ requests: n, answers: n, answerBytes: 1200 * n, distinctRequestsExact: false });
  });
});
