import type { NetEvent } from '../../events/event';
import { sample } from '../excerpt';

/**
 * The events a finding will quote, in bounded memory: every event while
 * there are at most `cap`, so that `pick(n)` is exactly `sample()` over all
 * of them in time order; past `cap` a hash-chosen subset (an event is kept
 * while the top `level` bits of a hash of its place in its file are zero;
 * the level rises by one whenever the subset outgrows `cap`, as in
 * SampledMap), spread over the whole stream, plus the earliest and the
 * latest by time, which a reply quotes as where the pattern starts and ends.
 *
 * Whether an event is kept depends on the event alone, never on how many
 * came before it, so two samples merge exactly (the union at the higher
 * level): the parts of a capture read apart, merged in file order, give the
 * quotes of one pass at any size.
 */
export class SpreadSample {
  private kept: NetEvent[] = [];
  /** Events are kept with probability 2^-level; 0 while every event is. */
  level = 0;
  private earliest: NetEvent | undefined;
  private latest: NetEvent | undefined;
  /** Events added, kept or not. */
  count = 0;

  constructor(readonly cap = 256) {}

  /** True while every event added is kept. */
  get exact(): boolean {
    return this.level === 0;
  }

  /** Events held now (at most `cap`). */
  get size(): number {
    return this.kept.length;
  }

  add(ev: NetEvent): void {
    this.count++;
    if (!this.earliest || ev.ts < this.earliest.ts) this.earliest = ev;
    if (!this.latest || ev.ts >= this.latest.ts) this.latest = ev;
    if (this.level > 0 && !this.keeps(ev)) return;
    this.kept.push(ev);
    if (this.kept.length > this.cap) this.raise();
  }

  /** Fold in a sample of the evidence that follows this one's (ties in time keep arrival order). */
  merge(other: SpreadSample): void {
    this.count += other.count;
    if (other.earliest && (!this.earliest || other.earliest.ts < this.earliest.ts)) this.earliest = other.earliest;
    if (other.latest && (!this.latest || other.latest.ts >= this.latest.ts)) this.latest = other.latest;
    while (this.level < other.level) this.raise(false);
    for (const ev of other.kept) if (this.level === 0 || this.keeps(ev)) this.kept.push(ev);
    if (this.kept.length > this.cap) this.raise();
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

  private keeps(ev: NetEvent): boolean {
    const h = placeHash(ev);
    return this.level >= 32 ? h === 0 : h >>> (32 - this.level) === 0;
  }

  /** One level up: drop the events the stricter test rejects (about half); repeat while still over `cap`. */
  private raise(untilUnderCap = true): void {
    do {
      this.level++;
      this.kept = this.kept.filter((e) => this.keeps(e));
    } while (untilUnderCap && this.kept.length > this.cap && this.level < 32);
  }
}

/** A 32-bit hash of where an event is in its file (murmur3's finaliser over the offset and the line or packet number). */
function placeHash(ev: NetEvent): number {
  const off = ev.source.offset;
  let h = (off >>> 0) ^ Math.imul(Math.floor(off / 0x100000000), 0x27d4eb2d) ^ Math.imul(ev.source.packet ?? ev.source.line ?? 0, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
