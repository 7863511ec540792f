import type { NetEvent } from '../../events/event';
import { sample } from '../excerpt';

/**
 * The events a finding will quote, in bounded memory: every event while
 * there are at most `cap`, so that `pick(n)` is exactly `sample()` over all
 * of them in time order; past `cap` an evenly spaced subset (every 2^k-th
 * event as it arrived) plus the earliest and the latest by time, which a
 * reply quotes as where the pattern starts and ends.
 *
 * Two samples merge exactly while both are under `cap` (time order decides,
 * arrival order only breaks ties), so the halves of a capture read apart
 * give the quotes of one pass.
 */
export class SpreadSample {
  private kept: NetEvent[] = [];
  private stride = 1;
  private seen = 0;
  private earliest: NetEvent | undefined;
  private latest: NetEvent | undefined;
  /** Events added, kept or not. */
  count = 0;

  constructor(readonly cap = 256) {}

  /** True while every event added is kept. */
  get exact(): boolean {
    return this.stride === 1;
  }

  /** Events held now (at most `cap`). */
  get size(): number {
    return this.kept.length;
  }

  add(ev: NetEvent): void {
    this.count++;
    if (!this.earliest || ev.ts < this.earliest.ts) this.earliest = ev;
    if (!this.latest || ev.ts >= this.latest.ts) this.latest = ev;
    if (this.seen++ % this.stride === 0) {
      this.kept.push(ev);
      if (this.kept.length > this.cap) this.thin();
    }
  }

  merge(other: SpreadSample): void {
    this.count += other.count;
    if (other.earliest && (!this.earliest || other.earliest.ts < this.earliest.ts)) this.earliest = other.earliest;
    if (other.latest && (!this.latest || other.latest.ts >= this.latest.ts)) this.latest = other.latest;
    let theirs = other.kept;
    // Bring both to the coarser stride, so the merged subset stays evenly spaced.
    while (this.stride < other.stride) this.thin();
    if (other.stride < this.stride) {
      const every = this.stride / other.stride;
      theirs = theirs.filter((_, i) => i % every === 0);
    }
    this.kept = this.kept.concat(theirs);
    this.seen += other.seen;
    while (this.kept.length > this.cap) this.thin();
  }

  /** The kept events in time order (arrival order among equal times); the earliest and latest always included. */
  events(): NetEvent[] {
    const byTime = [...this.kept].sort((a, b) => a.ts - b.ts);
    if (this.exact || !this.earliest || !this.latest) return byTime;
    const middle = byTime.filter((e) => e !== this.earliest && e !== this.latest);
    return this.earliest === this.latest ? [this.earliest, ...middle] : [this.earliest, ...middle, this.latest];
  }

  /** At most `n` events: the first, the last and evenly spaced ones between, in time order. */
  pick(n: number): NetEvent[] {
    return sample(this.events(), n);
  }

  private thin(): void {
    this.kept = this.kept.filter((_, i) => i % 2 === 0);
    this.stride *= 2;
  }
}
