import { hash32 } from './distinct-counter';

/**
 * A map over keys (4-tuples, say) that holds every key while there are at
 * most `cap`, then keeps a hash-chosen 1/2^level of them (Wegman's adaptive
 * sampling, Flajolet 1990): a key is kept iff the top `level` bits of its
 * hash are zero, and the level rises by one whenever the map outgrows `cap`.
 *
 * Whether a key is kept depends on the key alone, never on when it came, so
 * two facts about the same key (a SYN and the ACK that completes it, an
 * answer and the SYN it answers) are kept or dropped together, in any order;
 * a share measured over the kept keys estimates the share over all of them,
 * with a relative error of about 1/sqrt(kept). Two maps merge exactly: the
 * union at the higher level.
 */
export class SampledMap<V> {
  private map = new Map<string, V>();
  /** Keys are kept with probability 2^-level; 0 while exact. */
  level = 0;

  constructor(readonly cap: number, private readonly combine: (mine: V, theirs: V) => V) {}

  get exact(): boolean {
    return this.level === 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** The value under `key` (made by `create` when new), or undefined when the key is not sampled. */
  upsert(key: string, create: () => V): V | undefined {
    // A key the hash rejects is not in the map: test it first, which spares the lookup for most keys of a flood.
    if (this.rejects(key)) return undefined;
    let v = this.map.get(key);
    if (v !== undefined) return v;
    v = create();
    this.map.set(key, v);
    if (this.map.size > this.cap) {
      this.raise();
      return this.map.get(key);
    }
    return v;
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  /** True when `key` is not sampled at the current level: `upsert` would refuse it, now and from then on. */
  rejects(key: string): boolean {
    return this.level > 0 && !this.sampled(hash32(key));
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }

  merge(other: SampledMap<V>): void {
    while (this.level < other.level) this.raise(false);
    for (const [k, theirs] of other.map) {
      const mine = this.map.get(k);
      if (mine !== undefined) this.map.set(k, this.combine(mine, theirs));
      else if (this.level === 0 || this.sampled(hash32(k))) this.map.set(k, theirs);
    }
    while (this.map.size > this.cap) this.raise();
  }

  private sampled(h: number): boolean {
    return this.level >= 32 ? h === 0 : h >>> (32 - this.level) === 0;
  }

  /** One level up: drop the keys the stricter test rejects (about half); repeat while still over `cap`. */
  private raise(untilUnderCap = true): void {
    do {
      this.level++;
      for (const k of this.map.keys()) if (!this.sampled(hash32(k))) this.map.delete(k);
    } while (untilUnderCap && this.map.size > this.cap && this.level < 32);
  }
}
