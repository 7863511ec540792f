/**
 * The most frequent keys of a stream in bounded memory (Metwally et al.,
 * "Space-Saving", 2005): `capacity` counters; a new key takes over the
 * smallest counter and inherits its count as its possible overcount. Every
 * key seen more than total/capacity times is among the counters, and its
 * count is exact when `error` is 0.
 */
export class TopK {
  private readonly counts = new Map<string, { count: number; error: number }>();

  constructor(private readonly capacity = 64) {}

  add(key: string, n = 1): void {
    const c = this.counts.get(key);
    if (c) { c.count += n; return; }
    if (this.counts.size < this.capacity) { this.counts.set(key, { count: n, error: 0 }); return; }
    let minKey = '';
    let min = Infinity;
    for (const [k, v] of this.counts) if (v.count < min) { min = v.count; minKey = k; }
    this.counts.delete(minKey);
    this.counts.set(key, { count: min + n, error: min });
  }

  /** Fold another summary in: counts add; keys beyond the capacity drop the smallest. */
  merge(other: TopK): void {
    for (const [k, v] of other.counts) {
      const c = this.counts.get(k);
      if (c) { c.count += v.count; c.error += v.error; } else this.counts.set(k, { ...v });
    }
    if (this.counts.size <= this.capacity) return;
    const kept = [...this.counts].sort((a, b) => b[1].count - a[1].count).slice(0, this.capacity);
    this.counts.clear();
    for (const [k, v] of kept) this.counts.set(k, v);
  }

  /** The `n` largest, biggest first; `error` bounds how much of `count` may belong to keys it replaced. */
  top(n: number): Array<{ key: string; count: number; error: number }> {
    return [...this.counts].map(([key, v]) => ({ key, ...v })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, n);
  }
}
