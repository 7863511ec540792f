import { mayHold, notePresent, PRESENCE_FROM_ROWS, presenceBits } from './presence-bits';

/** `row()` of an empty slot: the key is not in the table. */
export const NO_ROW = -1;
/** `row()` of a slot holding another key's hash: probe on. */
export const OTHER_ROW = -2;

/**
 * The index of a table that keeps its keys in typed arrays of its own (the
 * conversation tables): open addressing from a key's 32-bit hash to its row.
 * Two words a slot, row + 1 (0: empty) and the key's hash, so a probe past
 * another key compares hashes in the line it already read instead of
 * fetching that row's keys: a flood's table is megabytes, every fetch a
 * cache miss. Once the table is large, presence bits (presence-bits.ts)
 * answer most absent keys without a probe. Rows are never removed; the load
 * stays at most one half.
 *
 * A lookup, with the table comparing its own keys:
 *   for (let i = slots.start(h); i >= 0; i = slots.next(i)) {
 *     const r = slots.row(i, h);
 *     if (r === NO_ROW) break;
 *     if (r !== OTHER_ROW && keys of r are the key) return r;
 *   }
 */
export class RowSlots {
  private slots: Int32Array;
  private placed = 0;
  private present: Int32Array | undefined;

  /** `count`: slots to start with, a power of two. */
  constructor(count: number) {
    this.slots = new Int32Array(2 * count);
  }

  /** The first slot to probe for hash `h`, or -1 when the key is certainly not in the table. */
  start(h: number): number {
    return mayHold(this.present, h) ? h & ((this.slots.length >> 1) - 1) : -1;
  }

  next(i: number): number {
    return (i + 1) & ((this.slots.length >> 1) - 1);
  }

  /** The row in slot `i` if its key hash is `h`; NO_ROW for an empty slot; OTHER_ROW for another hash. */
  row(i: number, h: number): number {
    const s = this.slots[2 * i];
    if (s === 0) return NO_ROW;
    return this.slots[2 * i + 1] === h ? s - 1 : OTHER_ROW;
  }

  /** Index a new row whose key hashes to `h`. */
  place(row: number, h: number): void {
    if (2 * (this.placed + 1) > this.slots.length >> 1) this.grow();
    put(this.slots, row, h);
    this.placed++;
    if (this.present !== undefined) notePresent(this.present, h);
    else if (this.placed >= PRESENCE_FROM_ROWS) this.notePresentAll();
  }

  /** Twice the slots, every row placed again by the hash its slot kept. */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) put(this.slots, old[i] - 1, old[i + 1]);
  }

  private notePresentAll(): void {
    const bits = presenceBits();
    for (let i = 0; i < this.slots.length; i += 2) if (this.slots[i] !== 0) notePresent(bits, this.slots[i + 1]);
    this.present = bits;
  }
}

function put(slots: Int32Array, row: number, h: number): void {
  const mask = (slots.length >> 1) - 1;
  let i = h & mask;
  while (slots[2 * i] !== 0) i = (i + 1) & mask;
  slots[2 * i] = row + 1;
  slots[2 * i + 1] = h;
}
