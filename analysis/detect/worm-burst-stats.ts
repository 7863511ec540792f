import type { NetEvent } from '../events/event';
import { looksBroadcast } from './common';
import { DistinctCounter } from './sketch/distinct-counter';
import { TimeSample, eventOrder } from './stream-evidence';

/** Runs of consecutive destination ports and a burst group's figures (worm-bursts.ts follows the runs). */

/** traceroute(8) probes consecutive UDP ports from 33434 up; that is not a worm. */
const TRACEROUTE_FIRST = 33434;
const TRACEROUTE_LAST = 33534;
/** Bursts whose length and start time a group keeps (the earliest), for the typical length and the intervals. */
export const MAX_BURST_RECORDS = 10_000;
/** Destinations a group lists in time order; all are counted. */
const MAX_LISTED_DSTS = 64;
/** Events of a group's bursts kept for evidence (all while fewer). */
const BURST_SAMPLE = 512;
/** Kinds of datagram that preceded bursts, counted per group. */
const MAX_PRECEDED_KINDS = 64;

/** What preceded a run's start: a kind of datagram, nothing, or not known yet (in the previous segment of the file). */
export const PENDING = 'pending';
export type Preceded = string | null | typeof PENDING;

export interface Run {
  dst: string;
  firstPort: number;
  lastPort: number;
  startTs: number;
  lastTs: number;
  count: number;
  /** The first TTL seen, and whether another one followed (traceroute steps it). */
  ttl?: number;
  ttlVaries: boolean;
  /** The first 8 datagrams (trimmed), quoted when this is the first or last burst. */
  events: NetEvent[];
  /** What the source sent to `dst` just before this run started (only used for a stream's first run). */
  preceded: Preceded;
}

export interface BurstStats {
  bursts: number;
  packets: number;
  /** [start, length] of the earliest bursts. */
  records: Array<[number, number]>;
  /** [start, "dst:first-last"] of the earliest bursts. */
  examples: Array<[number, string]>;
  /** Destination -> start of its first burst, for the earliest MAX_LISTED_DSTS. */
  dstFirst: Map<string, number>;
  dsts: DistinctCounter;
  broadcasts: DistinctCounter;
  continuing: number;
  traceroutePorts: number;
  ttlVarying: number;
  /** Kind of datagram -> how many burst starts it preceded, and the first such start (ties are listed in time order). */
  precededBy: Map<string, { n: number; first: number }>;
  precededOther: number;
  sample: TimeSample;
  firstBurst?: Run;
  lastBurst?: Run;
}

export function newStats(): BurstStats {
  return {
    bursts: 0, packets: 0, records: [], examples: [], dstFirst: new Map(), dsts: new DistinctCounter(), broadcasts: new DistinctCounter(),
    continuing: 0, traceroutePorts: 0, ttlVarying: 0, precededBy: new Map(), precededOther: 0, sample: new TimeSample(BURST_SAMPLE),
  };
}


export function earlierRun(a: Run, b: Run): boolean {
  return eventOrder(a.events[0], b.events[0]) < 0;
}

/** Keep the `max` smallest by first element; sorts only when twice over, so adding stays cheap. */
export function trimEarliest<T extends [number, unknown]>(xs: T[], max: number, force = false): void {
  if (xs.length <= (force ? max : 2 * max)) return;
  xs.sort((a, b) => a[0] - b[0]);
  xs.length = max;
}

/** One more burst start that `what` preceded (null: nothing did). */
export function addPreceded(t: BurstStats, what: string | null, ts: number, n = 1): void {
  if (what === null) return;
  const c = t.precededBy.get(what);
  if (c) { c.n += n; if (ts < c.first) c.first = ts; } else if (t.precededBy.size < MAX_PRECEDED_KINDS) t.precededBy.set(what, { n, first: ts });
  else t.precededOther += n;
}

/** "udp 138->138 x10": the kinds that preceded bursts, most frequent first, ties in time order. */
export function precededList(t: BurstStats): Array<[string, number]> {
  return [...t.precededBy].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first).map(([w, c]) => [w, c.n]);
}

/** A closed run long enough to be a burst, into the group's figures. */
export function recordBurst(t: BurstStats, b: Run): void {
  t.bursts++;
  t.packets += b.count;
  t.records.push([b.startTs, b.count]);
  trimEarliest(t.records, MAX_BURST_RECORDS);
  t.examples.push([b.startTs, `${b.dst}:${b.firstPort}-${b.lastPort}`]);
  trimEarliest(t.examples, 5);
  const known = t.dstFirst.get(b.dst);
  if (known === undefined || b.startTs < known) t.dstFirst.set(b.dst, b.startTs);
  trimDsts(t);
  t.dsts.add(b.dst);
  if (looksBroadcast(b.dst)) t.broadcasts.add(b.dst);
  if (b.firstPort >= TRACEROUTE_FIRST && b.lastPort <= TRACEROUTE_LAST) t.traceroutePorts++;
  if (b.ttlVaries) t.ttlVarying++;
  for (const e of b.events) t.sample.add(e);
  if (!t.firstBurst || earlierRun(b, t.firstBurst)) t.firstBurst = b;
  if (!t.lastBurst || earlierRun(t.lastBurst, b)) t.lastBurst = b;
}

/** The destinations with the earliest first bursts, at most MAX_LISTED_DSTS (twice that before trimming). */
function trimDsts(t: BurstStats): void {
  if (t.dstFirst.size <= 2 * MAX_LISTED_DSTS) return;
  const kept = [...t.dstFirst].sort((a, b) => a[1] - b[1]).slice(0, MAX_LISTED_DSTS);
  t.dstFirst.clear();
  for (const [d, ts] of kept) t.dstFirst.set(d, ts);
}

/** Another part's figures of the same group, into these. */
export function mergeStats(t: BurstStats, x: BurstStats): void {
  t.bursts += x.bursts;
  t.packets += x.packets;
  for (const r of x.records) t.records.push(r);
  trimEarliest(t.records, MAX_BURST_RECORDS);
  for (const e of x.examples) t.examples.push(e);
  trimEarliest(t.examples, 5);
  for (const [d, ts] of x.dstFirst) {
    const known = t.dstFirst.get(d);
    if (known === undefined || ts < known) t.dstFirst.set(d, ts);
  }
  trimDsts(t);
  t.dsts.merge(x.dsts);
  t.broadcasts.merge(x.broadcasts);
  t.continuing += x.continuing;
  t.traceroutePorts += x.traceroutePorts;
  t.ttlVarying += x.ttlVarying;
  for (const [w, c] of x.precededBy) addPreceded(t, w, c.first, c.n);
  t.precededOther += x.precededOther;
  t.sample.merge(x.sample);
  if (x.firstBurst && (!t.firstBurst || earlierRun(x.firstBurst, t.firstBurst))) t.firstBurst = x.firstBurst;
  if (x.lastBurst && (!t.lastBurst || earlierRun(t.lastBurst, x.lastBurst))) t.lastBurst = x.lastBurst;
}

/** The group's bursts' figures in time order, for the finding. */
export function burstFigures(t: BurstStats): { lengths: number[]; starts: number[]; examples: string[]; dsts: string[]; broadcasts: string[] } {
  trimEarliest(t.records, MAX_BURST_RECORDS, true);
  const recs = [...t.records].sort((a, b) => a[0] - b[0]);
  trimEarliest(t.examples, 5, true);
  const dsts = [...t.dstFirst].sort((a, b) => a[1] - b[1]).map(([d]) => d);
  return {
    lengths: recs.map((r) => r[1]),
    starts: recs.map((r) => r[0]),
    examples: [...t.examples].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
    dsts,
    broadcasts: dsts.filter(looksBroadcast),
  };
}
