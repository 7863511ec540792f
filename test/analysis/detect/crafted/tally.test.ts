import { describe, expect, it } from 'vitest';
import { EarliestKeys } from '../../../../analysis/detect/crafted/tally';

describe('crafted tallies', () => {
  it('the earliest targets: kept by earliest time then name, whatever the order and however split', () => {
    const seen: Array<[string, number]> = [['d', 5], ['a', 9], ['b', 3], ['a', 1], ['c', 3], ['e', 7], ['b', 8]];
    const one = new EarliestKeys(3);
    for (const [k, ts] of seen) one.add(k, ts);
    expect(one.keys()).toEqual(['a', 'b', 'c']);
    for (let cut = 0; cut <= seen.length; cut++) {
      const x = new EarliestKeys(3), y = new EarliestKeys(3);
      for (const [k, ts] of seen.slice(0, cut)) x.add(k, ts);
      for (const [k, ts] of seen.slice(cut).reverse()) y.add(k, ts);
      y.merge(x);
      expect(y.items).toEqual(one.items);
    }
  });
});
