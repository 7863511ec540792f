import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../../analysis/util/bounded-memo';

describe('boundedMemo', () => {
  it('computes each key once, null answers included', () => {
    const asked: string[] = [];
    const memo = boundedMemo((k) => { asked.push(k); return k.startsWith('x') ? null : k.length; });
    expect([memo('abc'), memo('xy'), memo('abc'), memo('xy')]).toEqual([3, null, 3, null]);
    expect(asked).toEqual(['abc', 'xy']);
  });

  it('starts over once it holds max answers, and still answers the same', () => {
    const asked: string[] = [];
    const memo = boundedMemo((k) => { asked.push(k); return k.toUpperCase(); }, 2);
    expect([memo('a'), memo('b'), memo('c'), memo('a')]).toEqual(['A', 'B', 'C', 'A']);
    expect(asked).toEqual(['a', 'b', 'c', 'a']);
  });
});
