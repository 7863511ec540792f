import { describe, expect, it } from 'vitest';
import { fmix32 } from '../../../../analysis/detect/sketch/distinct-counter';
import { PRESENCE_FROM_ROWS } from '../../../../analysis/detect/sketch/presence-bits';
import { NO_ROW, OTHER_ROW, RowSlots } from '../../../../analysis/detect/sketch/row-slots';

/** A table's lookup as the conversation tables write it: `keyOf(row)` stands for comparing the row's keys. */
function find(slots: RowSlots, h: number, key: number, keyOf: (row: number) => number): number {
  for (let i = slots.start(h); i >= 0; i = slots.next(i)) {
    const r = slots.row(i, h);
    if (r === NO_ROW) break;
    if (r !== OTHER_ROW && keyOf(r) === key) return r;
  }
  return -1;
}

describe('RowSlots', () => {
  it('finds every row placed, through its growth and past the presence bits, keys sharing a hash included', () => {
    const slots = new RowSlots(8);
    const keys: number[] = [];
    // Every seventh key shares its hash with the one before: the table tells them apart by its own keys.
    const hashOf = (key: number): number => fmix32(key - (key % 7 === 0 ? 1 : 0)) | 0;
    const n = PRESENCE_FROM_ROWS + 5000;
    for (let row = 0; row < n; row++) {
      keys.push(row * 3 + 1);
      slots.place(row, hashOf(row * 3 + 1));
    }
    const keyOf = (row: number): number => keys[row];
    const wrong = keys.map((k, row) => [row, find(slots, hashOf(k), k, keyOf)]).filter(([row, found]) => row !== found);
    expect(wrong).toEqual([]);
    // Keys never placed: not found, and most are turned away before any probe.
    const absent = Array.from({ length: 20_000 }, (_, i) => 3 * i + 2);
    expect(absent.filter((k) => find(slots, hashOf(k), k, keyOf) >= 0)).toEqual([]);
    expect(absent.filter((k) => slots.start(hashOf(k)) < 0).length).toBeGreaterThan(0.8 * absent.length);
  });

  it('a small table answers every lookup by probing (no presence bits yet)', () => {
    const slots = new RowSlots(8);
    for (let row = 0; row < 100; row++) slots.place(row, fmix32(row) | 0);
    expect(Array.from({ length: 100 }, (_, i) => slots.start(fmix32(1000 + i) | 0)).every((i) => i >= 0)).toBe(true);
  });
});
