import { describe, expect, it } from 'vitest';
import { DISTINCT_RELATIVE_ERROR, DistinctCounter } from '../../../../analysis/detect/sketch/distinct-counter';

const addr = (i: number): string => `${10 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

describe('DistinctCounter', () => {
  it('is exact up to its limit, duplicates included', () => {
    const c = new DistinctCounter(100);
    for (let i = 0; i < 100; i++) { c.add(addr(i)); c.add(addr(i)); }
    expect(c.exact).toBe(true);
    expect(c.count()).toBe(100);
    expect(c.has(addr(5))).toBe(true);
    expect(c.has(addr(500))).toBe(false);
  });

  it('counts 1 M distinct addresses within three standard errors once it is a sketch', () => {
    const c = new DistinctCounter();
    for (let i = 0; i < 1_000_000; i++) c.add(addr(i * 7 + 3));
    expect(c.exact).toBe(false);
    expect(c.has(addr(3))).toBeUndefined();
    const error = Math.abs(c.count() - 1_000_000) / 1_000_000;
    expect(error).toBeLessThan(3 * DISTINCT_RELATIVE_ERROR);
  });

  it('just past the exact limit still counts closely (linear counting)', () => {
    const c = new DistinctCounter(1000);
    for (let i = 0; i < 5000; i++) c.add(addr(i));
    expect(c.exact).toBe(false);
    expect(Math.abs(c.count() - 5000) / 5000).toBeLessThan(3 * DISTINCT_RELATIVE_ERROR);
  });

  it('merges exactly: two halves give what one pass gives, exact or sketched', () => {
    for (const n of [300, 200_000]) {
      const whole = new DistinctCounter();
      const a = new DistinctCounter();
      const b = new DistinctCounter();
      for (let i = 0; i < n; i++) {
        whole.add(addr(i));
        (i % 3 === 0 ? a : b).add(addr(i));
        if (i % 5 === 0) a.add(addr(i)); // the same value on both sides counts once
      }
      a.merge(b);
      expect(a.exact).toBe(whole.exact);
      expect(a.count()).toBe(whole.count());
    }
  });
});

describe('DistinctCounter.addParts', () => {
  it('counts a value given as its two words as add() counts the number, exact and as a sketch', () => {
    const byNumber = new DistinctCounter<number>(1000);
    const byParts = new DistinctCounter<number>(1000);
    let x = 0x2545f491;
    for (let i = 0; i < 50_000; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) | 0;
      const high = i & 0x1fffff;
      byNumber.add(high * 0x100000000 + (x >>> 0));
      byParts.addParts(high, x);
      if (i === 500) expect([byParts.exact, byParts.count()]).toEqual([true, byNumber.count()]);
    }
    expect(byParts.exact).toBe(false);
    expect(byParts.count()).toBe(byNumber.count());
  });
});

