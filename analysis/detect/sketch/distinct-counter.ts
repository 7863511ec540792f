/**
 * How many different values (addresses, ports, 4-tuples) a stream holds, in
 * bounded memory: exact while there are few, then a HyperLogLog (Flajolet et
 * al. 2007, with the small-range correction of Heule et al. 2013, "HLL in
 * practice") of 2^14 registers, whose standard error is 1.04/sqrt(2^14) =
 * 0.81%. `exact` says which one answered, so a reply can say "about".
 * Two counters merge exactly: the union of sets, the maximum of registers.
 */
const P = 14;
const M = 1 << P;
/** Standard error of the estimate once the counter is approximate. */
export const DISTINCT_RELATIVE_ERROR = 1.04 / Math.sqrt(M);
const ALPHA = 0.7213 / (1 + 1.079 / M);

/** murmur3's 32-bit finaliser: every output bit depends on every input bit. */
export function fmix32(h: number): number {
  return fmix32i(h) >>> 0;
}

/** fmix32 as a signed 32-bit integer: a small integer to V8, where an unsigned result past 2^31 is a heap number made at every call. */
function fmix32i(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A slot hash for a conversation key of four 32-bit words (two addresses,
 * packed ports, protocol and flags): each word folded in and finalised, so
 * the low bits a hash table uses depend on every bit of the key. One hash
 * for every keyed table of conversations (outbound scans, crafted packets).
 * Signed (`>>> 0` gives fmix32's unsigned value): the tables keep it in an
 * Int32Array, and it is asked for at every packet.
 */
export function keyHash4(a: number, b: number, ports: number, meta: number): number {
  return fmix32i(Math.imul(fmix32i(Math.imul(fmix32i(a ^ 0x9e3779b9), 31) ^ b), 31) ^ ports ^ (meta << 29));
}

/** 32-bit FNV-1a, then murmur3's finaliser. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A hash of a number of up to 53 bits (an IPv4 address, a packed key): its two halves folded and finalised. */
export function numberHash(n: number): number {
  return fmix32((n >>> 0) ^ fmix32(Math.floor(n / 0x100000000) + 0x9e3779b9));
}

/**
 * Values are strings or numbers (an IPv4 address as its 32-bit value spares
 * building and hashing its text at every packet). A caller gives each value
 * always in the same form, or the same value would count twice.
 */
export class DistinctCounter<T extends string | number = string> {
  private set: Set<T> | undefined = new Set();
  private registers: Uint8Array | undefined;

  /** `exactLimit` distinct values are kept as they are; past it the counter becomes a sketch (16 KiB). */
  constructor(private readonly exactLimit = 4096) {}

  add(value: T): void {
    if (this.set) {
      this.set.add(value);
      if (this.set.size > this.exactLimit) this.toSketch();
      return;
    }
    this.addHash(typeof value === 'number' ? numberHash(value) : hash32(value as string));
  }

  /**
   * `add(high * 2^32 + low)` for a numeric counter, from the value's two
   * words (`high` below 2^21, `low` an unsigned or signed 32-bit word): once
   * the counter is a sketch, the value is hashed from its words as
   * numberHash would, without making the 53-bit number a flood's every
   * packet past a table's bound would otherwise allocate.
   */
  addParts(this: DistinctCounter<number> | DistinctCounter<string | number>, high: number, low: number): void {
    if (this.set) { this.add(high * 0x100000000 + (low >>> 0)); return; }
    this.addHash(fmix32(low ^ fmix32(high + 0x9e3779b9)));
  }

  /** True while the count is exact. */
  get exact(): boolean {
    return this.set !== undefined;
  }

  /** The exact values while exact, else undefined. */
  values(): ReadonlySet<T> | undefined {
    return this.set;
  }

  has(value: T): boolean | undefined {
    return this.set ? this.set.has(value) : undefined;
  }

  count(): number {
    if (this.set) return this.set.size;
    const r = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += 2 ** -r[i];
      if (r[i] === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    // Linear counting is the better estimate while many registers are still empty.
    const estimate = raw <= 2.5 * M && zeros > 0 ? M * Math.log(M / zeros) : raw;
    return Math.round(estimate);
  }

  merge(other: DistinctCounter<T>): void {
    if (other.set) {
      for (const v of other.set) this.add(v);
      return;
    }
    if (this.set) this.toSketch();
    const mine = this.registers!;
    const theirs = other.registers!;
    for (let i = 0; i < M; i++) if (theirs[i] > mine[i]) mine[i] = theirs[i];
  }

  private toSketch(): void {
    this.registers = new Uint8Array(M);
    for (const v of this.set!) this.addHash(typeof v === 'number' ? numberHash(v) : hash32(v as string));
    this.set = undefined;
  }

  private addHash(h: number): void {
    const idx = h >>> (32 - P);
    const rest = (h << P) >>> 0;
    // Position of the first 1 bit in the remaining 18 bits (1-based); all zero counts as 19.
    const rank = rest === 0 ? 32 - P + 1 : Math.clz32(rest) + 1;
    if (rank > this.registers![idx]) this.registers![idx] = rank;
  }
}
