/**
 * The seconds in which a host was seen, kept as sorted, disjoint intervals
 * of whole seconds: a flood that fills a minute is one interval, not six
 * million timestamps. Enough to ask "was this host active within `tol` of
 * that moment", which is all the clock-offset search and the window check
 * need, in memory that grows with the number of quiet gaps, not with the
 * number of events.
 *
 * Bounded: past `maxIntervals` the gaps shorter than a growing `slack` are
 * closed (a host seen at 10:00:00 and 10:00:03 counts as seen in between).
 * `slack` is reported, so a caller knows the answer is "active within
 * `slack` seconds" rather than exact.
 */
export const MAX_OCCUPANCY_INTERVALS = 1 << 16;
/** Seconds buffered unsorted before they are folded into the intervals. */
const PENDING = 4096;

export class TimeOccupancy {
  /** Interval i covers the whole seconds starts[i] ..= ends[i]. */
  private starts: number[] = [];
  private ends: number[] = [];
  private pending: number[] = [];
  private last = Number.NaN;
  /** Gaps up to this many seconds have been closed to keep the bound (0 while exact). */
  slack = 0;

  constructor(private readonly maxIntervals = MAX_OCCUPANCY_INTERVALS) {}

  /** A moment (µs since the epoch) at which the host was seen. */
  add(tsMicros: number): void {
    const s = Math.floor(tsMicros / 1e6);
    // Events come in runs within the same second: skip the repeats before they cost a fold.
    if (s === this.last) return;
    this.last = s;
    this.pending.push(s);
    if (this.pending.length >= PENDING) this.fold();
  }

  merge(other: TimeOccupancy): void {
    other.fold();
    this.fold();
    const both: Array<[number, number]> = [];
    for (let i = 0; i < other.starts.length; i++) both.push([other.starts[i], other.ends[i]]);
    for (let i = 0; i < this.starts.length; i++) both.push([this.starts[i], this.ends[i]]);
    this.slack = Math.max(this.slack, other.slack);
    this.rebuild(both);
  }

  /** Is there a second in which the host was seen within `tolMicros` of `tsMicros`? */
  hasWithin(tsMicros: number, tolMicros: number): boolean {
    this.fold();
    const lo = Math.floor((tsMicros - tolMicros) / 1e6);
    const hi = Math.floor((tsMicros + tolMicros) / 1e6);
    // The first interval that ends at or after lo; it must also start at or before hi.
    let a = 0;
    let b = this.ends.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (this.ends[mid] < lo) a = mid + 1;
      else b = mid;
    }
    return a < this.ends.length && this.starts[a] <= hi;
  }

  /** First and last second seen (µs), or undefined when empty. */
  span(): { first: number; last: number } | undefined {
    this.fold();
    if (this.starts.length === 0) return undefined;
    return { first: this.starts[0] * 1e6, last: (this.ends[this.ends.length - 1] + 1) * 1e6 - 1 };
  }

  get intervals(): number {
    this.fold();
    return this.starts.length;
  }

  private fold(): void {
    if (this.pending.length === 0) return;
    const both: Array<[number, number]> = this.pending.map((s) => [s, s]);
    this.pending = [];
    for (let i = 0; i < this.starts.length; i++) both.push([this.starts[i], this.ends[i]]);
    this.rebuild(both);
  }

  private rebuild(list: Array<[number, number]>): void {
    list.sort((x, y) => x[0] - y[0]);
    for (;;) {
      const starts: number[] = [];
      const ends: number[] = [];
      for (const [s, e] of list) {
        const n = ends.length;
        // Adjacent seconds (gap 0) always join; wider gaps join once the bound has forced a slack.
        if (n > 0 && s <= ends[n - 1] + 1 + this.slack) { if (e > ends[n - 1]) ends[n - 1] = e; continue; }
        starts.push(s);
        ends.push(e);
      }
      if (starts.length <= this.maxIntervals) { this.starts = starts; this.ends = ends; return; }
      this.slack = this.slack === 0 ? 1 : this.slack * 2;
    }
  }
}
