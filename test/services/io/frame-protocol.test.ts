import { describe, expect, it } from 'vitest';
import {
  FILLED, META_FIELDS, SHARED_BYTES, SLOT_BYTES, SLOT_FRAMES, SLOTS, releaseSlot, slotControl, slotViews,
} from '../../../services/io/frame-protocol';

describe('the memory the framing thread and its caller share', () => {
  it('gives each slot its own bytes and fields, and the control words after them, all inside the buffer', () => {
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    const spans: Array<[number, number]> = [];
    for (let i = 0; i < SLOTS; i++) {
      const { data, meta } = slotViews(shared, i);
      expect(data.length).toBe(SLOT_BYTES);
      expect(meta.length).toBe(SLOT_FRAMES * META_FIELDS);
      spans.push([data.byteOffset, data.byteOffset + data.byteLength], [meta.byteOffset, meta.byteOffset + meta.byteLength]);
    }
    const control = slotControl(shared);
    spans.push([control.byteOffset, control.byteOffset + control.byteLength]);
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    expect(spans.at(-1)![1]).toBeLessThanOrEqual(SHARED_BYTES);
  });

  it('releasing a slot marks it free, counts it, and wakes a thread waiting for one', async () => {
    const control = slotControl(new SharedArrayBuffer(SHARED_BYTES));
    Atomics.store(control, 2, FILLED);
    const freed = Atomics.load(control, SLOTS);
    // Atomics.waitAsync is in Node 20 but not in this project's TypeScript library.
    const { waitAsync } = Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<string> } };
    const waiting = waitAsync(control, SLOTS, freed);
    expect(waiting.async).toBe(true);
    releaseSlot(control, 2);
    expect(await waiting.value).toBe('ok');
    expect(Atomics.load(control, 2)).toBe(0);
    expect(Atomics.load(control, SLOTS)).toBe(freed + 1);
  });
});
