import { describe, expect, it } from 'vitest';
import { SampledMap } from '../../../../analysis/detect/sketch/sampled-map';

const counter = (cap: number): SampledMap<{ n: number }> => new SampledMap(cap, (a, b) => ({ n: a.n + b.n }));
const keys = (m: SampledMap<{ n: number }>): string[] => [...m.entries()].map(([k]) => k).sort();


describe('SampledMap', () => {
  it('holds every key while at most cap', () => {
    const m = counter(100);
    for (let i = 0; i < 100; i++) m.upsert(`k${i}`, () => ({ n: 0 }))!.n++;
    m.upsert('k5', () => ({ n: 0 }))!.n++;
    expect(m.exact).toBe(true);
    expect(m.size).toBe(100);
    expect(m.get('k5')).toEqual({ n: 2 });
  });

  it('past cap keeps a hash-chosen subset whose content does not depend on the order keys came in', () => {
    const forward = counter(1000);
    const backward = counter(1000);
    for (let i = 0; i < 20000; i++) forward.upsert(`k${i}`, () => ({ n: 0 }));
    for (let i = 19999; i >= 0; i--) backward.upsert(`k${i}`, () => ({ n: 0 }));
    expect(forward.size).toBeLessThanOrEqual(1000);
    expect(forward.level).toBeGreaterThan(0);
    expect(keys(forward)).toEqual(keys(backward));
    // Roughly 20000 / 2^level of them: the sample size estimates the whole.
    expect(Math.abs(forward.size * 2 ** forward.level - 20000) / 20000).toBeLessThan(0.2);
  });

  it('a key once refused stays refused, so two facts about one key are kept or lost together', () => {
    const m = counter(500);
    for (let i = 0; i < 5000; i++) m.upsert(`k${i}`, () => ({ n: 0 }));
    for (let i = 0; i < 5000; i++) {
      const v = m.upsert(`k${i}`, () => ({ n: 0 }));
      if (v) v.n++;
    }
    for (const [, v] of m.entries()) expect(v.n).toBe(1);
  });

  it('merges exactly: the halves give the map of one pass', () => {
    const one = counter(800);
    const a = counter(800);
    const b = counter(800);
    const count = (m: SampledMap<{ n: number }>, k: string): void => {
      const v = m.upsert(k, () => ({ n: 0 }));
      if (v) v.n++;
    };
    for (let i = 0; i < 6000; i++) {
      count(one, `k${i % 4000}`);
      count(i < 3000 ? a : b, `k${i % 4000}`);
    }
    a.merge(b);
    expect(one.exact).toBe(false);
    expect(a.level).toBe(one.level);
    expect([...a.entries()].sort()).toEqual([...one.entries()].sort());
  });

  it('rejects exactly the keys upsert would refuse', () => {
    const m = new SampledMap<number>(64, (a, b) => a + b);
    for (let i = 0; i < 1000; i++) m.upsert(`10.0.${i >> 8}.${i & 255}`, () => i);
    expect(m.exact).toBe(false);
    let refused = 0;
    for (let i = 1000; i < 3000; i++) {
      const key = `10.1.${i >> 8}.${i & 255}`;
      const rejected = m.rejects(key);
      const level = m.level;
      const got = m.upsert(key, () => i);
      // A key taken in may raise the level and be dropped at once; a rejected key is never taken.
      if (rejected) { expect(got).toBeUndefined(); refused++; } else if (m.level === level) expect(got).toBe(i);
    }
    expect(refused).toBeGreaterThan(1000);
    expect(new SampledMap<number>(4, (a) => a).rejects('any')).toBe(false);
  });
});
