import { beforeEach, describe, expect, it } from 'vitest';
import { FirstPerKey, TimeSample } from '../../../analysis/detect/stream-evidence';
import type { NetEvent } from '../../../analysis/events/event';
import { resetPacketNumbers, tcp } from '../../helpers/events';

/**
 * The evidence samples of the streaming detectors: past its limit a
 * TimeSample still ends with the latest event, also when packets are 1 µs
 * apart (a line-rate burst: 64-byte frames at 1 Gbit/s are 0.67 µs apart)
 * and when two accumulators that read alternate packets are merged; a
 * FirstPerKey keeps the earliest event of each key whichever half saw it.
 */
beforeEach(() => resetPacketNumbers());

const T0 = 1_766_000_000_000_000;

/** SYNs from one source to successive ports of one host, `gapUs` µs apart, as one capture file holds them. */
function burst(file: string, n: number, gapUs = 1): NetEvent[] {
  return Array.from({ length: n }, (_, i) => ({ ...tcp({ src: '198.51.100.7', dst: '192.0.2.9', sport: 40000, dport: 1 + (i % 65535), flags: 'S', file }), ts: T0 + i * gapUs }));
}

const sampleOf = (evs: readonly NetEvent[], limit?: number): TimeSample => {
  const s = new TimeSample(limit);
  for (const e of evs) s.add(e);
  return s;
};

describe('TimeSample', () => {
  it('below its limit keeps every event, in time order', () => {
    const evs = burst('edge.pcap', 1024);
    const s = sampleOf([...evs].reverse());
    expect(s.complete).toBe(true);
    expect(s.events()).toEqual(evs);
  });

  it.each(['edge-a.pcap', 'edge-b.pcap', 'edge-c.pcap'])('%s, 3000 packets 1 µs apart: the first 512, a hashed share of the rest, and the very last', (file) => {
    const evs = burst(file, 3000);
    const s = sampleOf(evs);
    expect(s.complete).toBe(false);
    const kept = s.events();
    expect(kept.slice(0, 512)).toEqual(evs.slice(0, 512));
    expect(kept.at(-1)).toBe(evs.at(-1));
    expect(kept.length).toBeLessThanOrEqual(1025);
    expect(new Set(kept).size).toBe(kept.length);
  });

  it.each(['edge-a.pcap', 'edge-b.pcap', 'edge-c.pcap'])('%s read by two accumulators taking alternate packets, merged: the one pass, ending with the last packet', (file) => {
    const evs = burst(file, 3000);
    const one = sampleOf(evs);
    const even = sampleOf(evs.filter((_, i) => i % 2 === 0));
    const odd = sampleOf(evs.filter((_, i) => i % 2 === 1));
    // The odd half holds the last packet, 1 µs after the even half's last.
    even.merge(odd);
    expect(even.count).toBe(3000);
    expect(even.events()).toEqual(one.events());
    expect(even.events().at(-1)).toBe(evs.at(-1));
  });
});

describe('FirstPerKey', () => {
  it('keeps the earliest event of each key, whichever accumulator saw it and in whatever order', () => {
    // Two hosts probed; each accumulator saw some of the probes, the later accumulator the earliest one of host .10.
    const probe = (dst: string, us: number): NetEvent => ({ ...tcp({ src: '198.51.100.7', dst, sport: 40000, dport: 445, flags: 'S' }), ts: T0 + us });
    const [a1, a2, b1, b2] = [probe('192.0.2.10', 5), probe('192.0.2.11', 3), probe('192.0.2.10', 4), probe('192.0.2.11', 6)];
    const a = new FirstPerKey(10), b = new FirstPerKey(10);
    for (const e of [a1, a2]) a.add(e.dst!, e);
    for (const e of [b2, b1]) b.add(e.dst!, e);
    a.merge(b);
    expect(a.sorted().map((e) => [e.dst, e.ts - T0])).toEqual([['192.0.2.11', 3], ['192.0.2.10', 4]]);
    expect(a.complete).toBe(true);
  });
});
