import { describe, expect, it } from 'vitest';
import { sample } from '../../../../analysis/detect/excerpt';
import { SpreadSample } from '../../../../analysis/detect/sketch/spread-sample';
import type { NetEvent } from '../../../../analysis/events/event';

const ev = (i: number, ts = i): NetEvent => ({ kind: 'packet', ts, source: { file: 'f.pcap', packet: i, offset: i } });
const packets = (es: NetEvent[]): Array<number | undefined> => es.map((e) => e.source.packet);

describe('SpreadSample', () => {
  it('under its cap, picks exactly what sample() picks from all events in time order, whatever the arrival order', () => {
    const events = Array.from({ length: 100 }, (_, i) => ev(i, 1000 + ((i * 37) % 100)));
    const s = new SpreadSample(128);
    for (const e of events) s.add(e);
    expect(s.exact).toBe(true);
    const byTime = [...events].sort((a, b) => a.ts - b.ts);
    expect(packets(s.pick(6))).toEqual(packets(sample(byTime, 6)));
  });

  it('past its cap keeps at most cap events, and still the earliest and the latest by time', () => {
    const s = new SpreadSample(64);
    const n = 100_000;
    // Arrival order is not time order: the earliest arrives in the middle, the latest first.
    s.add(ev(n - 1, 10 * n));
    for (let i = 1; i < n - 1; i++) s.add(ev(i, i === n / 2 ? 0 : 10 * i));
    expect(s.count).toBe(n - 1);
    expect(s.size).toBeLessThanOrEqual(64);
    expect(s.exact).toBe(false);
    const picked = s.pick(6);
    expect(picked).toHaveLength(6);
    expect(picked[0].source.packet).toBe(n / 2);
    expect(picked[5].source.packet).toBe(n - 1);
    expect(picked.map((e) => e.ts)).toEqual([...picked.map((e) => e.ts)].sort((a, b) => a - b));
  });

  it('two samples under the cap merge into the one pass, in either order', () => {
    const events = Array.from({ length: 50 }, (_, i) => ev(i, 500 - i));
    const one = new SpreadSample(64);
    for (const e of events) one.add(e);
    for (const [x, y] of [[events.slice(0, 20), events.slice(20)], [events.slice(20), events.slice(0, 20)]]) {
      const a = new SpreadSample(64);
      const b = new SpreadSample(64);
      for (const e of x) a.add(e);
      for (const e of y) b.add(e);
      a.merge(b);
      expect(a.count).toBe(50);
      expect(packets(a.events())).toEqual(packets(one.events()));
    }
  });

  it('merging past the cap stays bounded and keeps both ends', () => {
    const a = new SpreadSample(32);
    const b = new SpreadSample(32);
    for (let i = 0; i < 1000; i++) a.add(ev(i, i));
    for (let i = 1000; i < 1100; i++) b.add(ev(i, i));
    a.merge(b);
    expect(a.size).toBeLessThanOrEqual(32);
    expect(a.count).toBe(1100);
    const all = a.events();
    expect(all[0].source.packet).toBe(0);
    expect(all.at(-1)!.source.packet).toBe(1099);
  });
});

describe('SpreadSample past its cap', () => {
  it('the parts of a stream sampled apart and merged in order keep exactly what one pass keeps', () => {
    const events = Array.from({ length: 5000 }, (_, i) => ev(i, 10 * i + (i % 7)));
    const one = new SpreadSample(64);
    for (const e of events) one.add(e);
    expect(one.exact).toBe(false);
    for (const cuts of [[2500], [1, 4000], [1234, 1235, 3000]]) {
      const bounds = [0, ...cuts, events.length];
      const parts = bounds.slice(1).map((end, k) => {
        const s = new SpreadSample(64);
        for (const e of events.slice(bounds[k], end)) s.add(e);
        return s;
      });
      const merged = parts[0];
      for (const p of parts.slice(1)) merged.merge(p);
      expect(merged.count).toBe(events.length);
      expect(merged.level).toBe(one.level);
      expect(packets(merged.events())).toEqual(packets(one.events()));
      expect(packets(merged.pick(6))).toEqual(packets(one.pick(6)));
    }
  });
});
