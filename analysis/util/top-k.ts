/**
 * The most frequent keys of a stream in bounded memory (Metwally et al.,
 * "Space-Saving", 2005), with its evictions done in batches: up to twice
 * `capacity` counters; when they are full the smaller half is dropped in
 * one sort, and a new key starts from the largest count dropped so far
 * (its possible overcount, kept as `error`). Every key seen more often than
 * that floor is among the counters, and its count is exact when `error` is
 * 0. A flood of distinct keys costs O(log capacity) per key, not a scan of
 * every counter per key.
 */
export class TopK {
  private readonly counts = new Map<string, { count: number; error: number }>();
  /** The largest count dropped: what a key seen now for the first time may have been seen before. */
  private floor = 0;

  constructor(private readonly capacity = 64) {}

  add(key: string, n = 1): void {
    const c = this.counts.get(key);
    if (c) { c.count += n; return; }
    if (this.counts.size >= 2 * this.capacity) this.prune();
    this.counts.set(key, { count: this.floor + n, error: this.floor });
  }

  private prune(): void {
    const sorted = [...this.counts].sort((a, b) => b[1].count - a[1].count);
    for (const [k, v] of sorted.slice(this.capacity)) {
      if (v.count > this.floor) this.floor = v.count;
      this.counts.delete(k);
    }
  }

  /**
   * Fold another summary in: counts add; a key only one side holds may have
   * been dropped by the other, so it takes the other's floor as overcount.
   */
  merge(other: TopK): void {
    for (const [k, v] of this.counts) if (!other.counts.has(k)) { v.count += other.floor; v.error += other.floor; }
    for (const [k, v] of other.counts) {
      const c = this.counts.get(k);
      if (c) { c.count += v.count; c.error += v.error; } else this.counts.set(k, { count: v.count + this.floor, error: v.error + this.floor });
    }
    this.floor += other.floor;
    if (this.counts.size > 2 * this.capacity) this.prune();
  }

  /** The `n` largest, biggest first; `error` bounds how much of `count` may belong to keys it replaced. */
  top(n: number): Array<{ key: string; count: number; error: number }> {
    return [...this.counts].map(([key, v]) => ({ key, ...v })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, n);
  }
}
