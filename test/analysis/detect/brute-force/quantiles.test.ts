import { describe, expect, it } from 'vitest';
import { Quantiles } from '../../../../analysis/detect/brute-force/quantiles';

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
