import type { NetEvent } from '../../events/event';
import { DistinctCounter } from '../sketch/distinct-counter';
import { TimeSample, eventOrder, slim } from '../stream-evidence';
import { KIND_ORDER, type Kind } from './kinds';

/** Sources followed; events of further ones are counted. */
export const MAX_SOURCES = 256;
/** Targets per source and kind counted exactly; past this the count is an estimate. */
const EXACT_TARGETS = 1024;
/** Targets a finding names. */
const TARGET_SAMPLE = 10;
/** Events per source and kind kept for quoting: all while fewer. */
const QUOTES_KEPT = 64;

/**
 * The `limit` keys seen earliest (by their earliest time, then by name), in
 * that order. Exactly mergeable: a key among the earliest of a union is
 * among the earliest of the part that saw its earliest time.
 */
export class EarliestKeys {
  readonly items: Array<{ key: string; ts: number }> = [];

  constructor(private readonly limit: number) {}

  add(key: string, ts: number): void {
    const items = this.items;
    const at = items.findIndex((x) => x.key === key);
    if (at >= 0) {
      if (ts >= items[at].ts) return;
      items.splice(at, 1);
    } else if (items.length >= this.limit && !earlier(ts, key, items[items.length - 1])) return;
    let i = items.length;
    while (i > 0 && earlier(ts, key, items[i - 1])) i--;
    items.splice(i, 0, { key, ts });
    if (items.length > this.limit) items.pop();
  }

  merge(o: EarliestKeys): void {
    for (const x of o.items) this.add(x.key, x.ts);
  }

  keys(): string[] {
    return this.items.map((x) => x.key);
  }
}

function earlier(ts: number, key: string, than: { key: string; ts: number }): boolean {
  return ts < than.ts || (ts === than.ts && key < than.key);
}

/** What one source sent of one kind: counts, targets, time span and a bounded quote sample. */
export class Tally {
  packets = 0;
  /** Lone-ACK conversations (or records) counted, those the other side answered with RST, and those left out as joined late. */
  conversations = 0;
  refused = 0;
  joinedLate = 0;
  /** Conversations counted whose packets were not kept for quoting. */
  unquoted = 0;
  readonly targets = new DistinctCounter(EXACT_TARGETS);
  readonly firstTargets = new EarliestKeys(TARGET_SAMPLE);
  first = Infinity;
  last = -Infinity;
  firstEv: NetEvent | undefined;
  readonly quotes = new TimeSample(QUOTES_KEPT);

  /** One packet or record. */
  add(ev: NetEvent): void {
    this.packets++;
    this.quote(ev);
  }

  /** A quoted event without counting it (its conversation was counted as a whole). */
  quote(ev: NetEvent): void {
    this.target(ev.dst, ev.ts);
    if (!this.firstEv || eventOrder(ev, this.firstEv) < 0) this.firstEv = slim(ev);
    this.quotes.add(slim(ev));
  }

  target(dst: string | undefined, ts: number): void {
    if (dst) {
      this.targets.add(dst);
      this.firstTargets.add(dst, ts);
    }
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
  }

  merge(o: Tally): void {
    this.packets += o.packets;
    this.conversations += o.conversations;
    this.refused += o.refused;
    this.joinedLate += o.joinedLate;
    this.unquoted += o.unquoted;
    this.targets.merge(o.targets);
    this.firstTargets.merge(o.firstTargets);
    this.first = Math.min(this.first, o.first);
    this.last = Math.max(this.last, o.last);
    if (o.firstEv && (!this.firstEv || eventOrder(o.firstEv, this.firstEv) < 0)) this.firstEv = o.firstEv;
    this.quotes.merge(o.quotes);
  }
}

/** Tallies per source and kind, for at most MAX_SOURCES sources. */
export class Tallies {
  readonly bySource = new Map<string, Map<Kind, Tally>>();
  /** Events of sources past the limit. */
  dropped = 0;

  get(src: string, kind: Kind): Tally | undefined {
    let kinds = this.bySource.get(src);
    if (!kinds) {
      if (this.bySource.size >= MAX_SOURCES) { this.dropped++; return undefined; }
      kinds = new Map();
      this.bySource.set(src, kinds);
    }
    let t = kinds.get(kind);
    if (!t) { t = new Tally(); kinds.set(kind, t); }
    return t;
  }

  merge(o: Tallies): void {
    for (const [src, kinds] of o.bySource) {
      for (const [kind, theirs] of kinds) {
        const mine = this.get(src, kind);
        if (mine) mine.merge(theirs);
        else this.dropped += theirs.packets;
      }
    }
    this.dropped += o.dropped;
  }

  /** Every tally, in the order of its earliest event (kinds of the same event in KIND_ORDER). */
  sorted(): Array<{ src: string; kind: Kind; tally: Tally }> {
    const out: Array<{ src: string; kind: Kind; tally: Tally }> = [];
    for (const [src, kinds] of this.bySource) for (const [kind, tally] of kinds) if (tally.packets > 0) out.push({ src, kind, tally });
    return out.sort((a, b) => byFirst(a.tally, b.tally) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.src < b.src ? -1 : a.src > b.src ? 1 : 0));
  }
}

function byFirst(a: Tally, b: Tally): number {
  if (a.firstEv && b.firstEv) return eventOrder(a.firstEv, b.firstEv);
  return a.first - b.first;
}
