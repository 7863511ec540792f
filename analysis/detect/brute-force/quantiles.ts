/**
 * Quantiles of a stream of non-negative numbers (session durations, bytes or
 * packets per session) in bounded memory: the values themselves while there
 * are at most `exactLimit`, then a histogram of logarithmic buckets, each
 * GROWTH (2%) wider than the one before, as DDSketch does (Masson et al.,
 * VLDB 2019): a quantile read from it is within about 1% of the true value.
 * `exact` says which one answered, so a finding can say the median is an estimate.
 *
 * Two summaries merge exactly: the union of the values while few, else the
 * sum of the bucket counts, which is what one pass over all values would
 * have built (a value always falls in the same bucket).
 */
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
/** Values below this (a microsecond, a zero count) share one bucket, read back as 0. */
const TINY = 1e-6;
const ZERO_BUCKET = -Infinity;

export class Quantiles {
  private values: number[] | undefined = [];
  private buckets: Map<number, number> | undefined;
  count = 0;

  constructor(private readonly exactLimit = 256) {}

  get exact(): boolean {
    return this.values !== undefined;
  }

  add(v: number): void {
    this.count++;
    if (this.values) {
      this.values.push(v);
      if (this.values.length > this.exactLimit) this.toBuckets();
      return;
    }
    this.bump(bucketOf(v), 1);
  }

  merge(other: Quantiles): void {
    if (other.values) {
      for (const v of other.values) this.add(v);
      return;
    }
    if (this.values) this.toBuckets();
    for (const [b, n] of other.buckets!) this.bump(b, n);
    this.count += other.count;
  }

  /** The q-quantile (0..1); the median averages the two middle values of an even count, as `median` in common.ts does. 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    if (this.values) {
      const s = [...this.values].sort((a, b) => a - b);
      const pos = q * (s.length - 1);
      const lo = Math.floor(pos);
      return lo === pos ? s[lo] : q === 0.5 ? (s[lo] + s[lo + 1]) / 2 : s[lo] + (s[lo + 1] - s[lo]) * (pos - lo);
    }
    const rank = q * (this.count - 1);
    let seen = 0;
    for (const b of [...this.buckets!.keys()].sort((a, b) => a - b)) {
      seen += this.buckets!.get(b)!;
      if (seen > rank) return valueOf(b);
    }
    return valueOf(Math.max(...this.buckets!.keys()));
  }

  median(): number {
    return this.quantile(0.5);
  }

  private bump(b: number, n: number): void {
    this.buckets!.set(b, (this.buckets!.get(b) ?? 0) + n);
  }

  private toBuckets(): void {
    this.buckets = new Map();
    for (const v of this.values!) this.bump(bucketOf(v), 1);
    this.values = undefined;
  }
}

function bucketOf(v: number): number {
  return v < TINY ? ZERO_BUCKET : Math.floor(Math.log(v) / LOG_GROWTH);
}

/** The middle of a bucket (geometric), so the error is at most half a bucket either way. */
function valueOf(b: number): number {
  return b === ZERO_BUCKET ? 0 : Math.exp((b + 0.5) * LOG_GROWTH);
}
