/**
 * One bit per hash bucket for the keys a large table holds: a key whose bit
 * is clear is certainly not in the table, found without reading its slots.
 * A flood past a conversation table's bound asks about a new conversation
 * at nearly every packet, and the slots are megabytes (a cache miss each);
 * the 512 KiB of bits stay in cache. Bits are only ever set: the tables
 * never remove a key. About 12% of absent keys still read the slots when
 * half a million keys are held.
 */

/** Tables smaller than this fit in cache: no bits. */
export const PRESENCE_FROM_ROWS = 1 << 16;
const WORDS = 1 << 17;
const MASK = WORDS - 1;

export function presenceBits(): Int32Array {
  return new Int32Array(WORDS);
}

/** False only when no key of hash `h` was noted (undefined bits: every key may be there). */
export function mayHold(bits: Int32Array | undefined, h: number): boolean {
  return bits === undefined || (bits[(h >>> 5) & MASK] & (1 << (h & 31))) !== 0;
}

export function notePresent(bits: Int32Array, h: number): void {
  bits[(h >>> 5) & MASK] |= 1 << (h & 31);
}
