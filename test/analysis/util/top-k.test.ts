import { describe, expect, it } from 'vitest';
import { TopK } from '../../../analysis/util/top-k';

describe('TopK (Space-Saving)', () => {
  it('counts exactly while the keys fit', () => {
    const t = new TopK(4);
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) t.add(k);
    expect(t.top(2)).toEqual([{ key: 'a', count: 3, error: 0 }, { key: 'b', count: 2, error: 0 }]);
  });

  it('keeps every key above total/capacity among a million distinct ones, in 64 counters', () => {
    // 1.075 M adds over 64 counters: a key seen more than ~16,800 times is guaranteed to be kept.
    const t = new TopK(64);
    for (let i = 0; i < 1_000_000; i++) {
      t.add(`forged-${i}`);
      if (i % 20 === 0) t.add('complainant');
      if (i % 40 === 0) t.add('second');
    }
    const [first, second] = t.top(2);
    expect(first.key).toBe('complainant');
    expect(second.key).toBe('second');
    // The count can only be over, by at most its error.
    expect(first.count - first.error).toBeLessThanOrEqual(50_000);
    expect(first.count).toBeGreaterThanOrEqual(50_000);
  });

  it('merges two halves into the same leaders as one pass', () => {
    const one = new TopK(8);
    const a = new TopK(8);
    const b = new TopK(8);
    for (let i = 0; i < 5000; i++) {
      const k = i % 3 === 0 ? 'x' : i % 7 === 0 ? 'y' : `n${i}`;
      one.add(k);
      (i < 2500 ? a : b).add(k);
    }
    a.merge(b);
    expect(a.top(2).map((e) => e.key)).toEqual(one.top(2).map((e) => e.key));
    expect(a.top(1)[0].count).toBe(one.top(1)[0].count);
  });
});
