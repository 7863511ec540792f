import type { NetEvent } from '../events/event';
import { eventOrder, slim } from './stream-evidence';
import {
  PENDING, addPreceded, mergeStats, newStats, recordBurst, type BurstStats, type Preceded, type Run,
} from './worm-burst-stats';

export { burstFigures, precededList, type BurstStats } from './worm-burst-stats';

/**
 * Periodic UDP bursts (worm-patterns): a fixed source port sending a few
 * datagrams of one size to consecutive destination ports, again and again.
 *
 * A burst is a run in time order, so runs are followed per stream: one
 * evidence file, one source address, source port and payload size. Events of
 * one file arrive in time order (a capture is written as it is seen), files
 * may interleave. A stream's state is a summary of the segment of the file
 * an accumulator read: its first run (which may continue the run the
 * previous segment ended with, so it is not counted yet), the closed runs
 * after it (counted), and the run still open. Two segments of a file merge in
 * file order (by byte offset), joining the runs that span the boundary:
 * reading a file in two halves gives what reading it whole gives. Each merge
 * must join neighbouring segments (in file order, or as a tree of
 * neighbours): merging the first and the third part of a file before the
 * second would join runs across the gap.
 *
 * Assumed, not checked: the events of one file arrive in time order. A
 * capture whose packets are out of order (several interfaces in one pcapng)
 * gives the runs of its order, where a time-sorted pass gives those of time.
 * Past MAX_BURST_GROUPS the least recently active groups without a burst are
 * forgotten, and past MAX_LAST_UDP the oldest datagrams: both are counted
 * and the findings say so.
 */

/** Consecutive destination ports at most this far apart in time belong to one burst. */
export const BURST_GAP_US = 1_000_000;
export const BURST_MIN_LEN = 3;
/** A datagram to the same address at most this long before a burst "precedes" it. */
export const PRECEDED_WITHIN_US = 200_000;
/** Groups (source, source port, size) followed; past this the least recently active one without a burst is forgotten. */
export const MAX_BURST_GROUPS = 20_000;
/** Last datagram per (file, source, destination), for what preceded a burst; kept while recent. */
const MAX_LAST_UDP = 100_000;
/** Burst starts whose predecessor is in the previous segment of the file, resolved when segments merge. */
const MAX_PENDING = 4096;

interface Stream {
  head: Run;
  headOpen: boolean;
  cur?: Run;
  /** First port of the first burst after the head, whose "continuing" depends on what came before. */
  pendingFirst?: number;
  lastEnd?: number;
}

/** A group's streams by file: almost always one, so no Map until a second file appears. */
export class Streams {
  private file: string | undefined;
  private one: Stream | undefined;
  private more: Map<string, Stream> | undefined;

  get(file: string): Stream | undefined {
    if (this.more) return this.more.get(file);
    return this.file === file ? this.one : undefined;
  }

  has(file: string): boolean {
    return this.get(file) !== undefined;
  }

  set(file: string, s: Stream): void {
    if (this.more) { this.more.set(file, s); return; }
    if (this.one === undefined || this.file === file) { this.file = file; this.one = s; return; }
    this.more = new Map([[this.file!, this.one], [file, s]]);
    this.file = undefined;
    this.one = undefined;
  }

  entries(): Array<[string, Stream]> {
    if (this.more) return [...this.more];
    return this.one ? [[this.file!, this.one]] : [];
  }

  clear(): void {
    this.file = undefined;
    this.one = undefined;
    this.more = undefined;
  }
}

export interface BurstGroup {
  key: string;
  /** When the group last saw a datagram, in events read: the least recently active is forgotten first. */
  lastSeen: number;
  src: string;
  sport: number;
  size: number;
  /** The group's earliest datagram: groups are listed in this order. */
  firstEv: NetEvent;
  streams: Streams;
  /** Made at the group's first burst or first preceded start: most groups (one DNS query each) never need it. */
  stats?: BurstStats;
}

function st(g: BurstGroup): BurstStats {
  return (g.stats ??= newStats());
}

export function burstCount(g: BurstGroup): number {
  return g.stats?.bursts ?? 0;
}

interface LastDatagram { ts: number; sport: number; dport: number }
interface PendingStart { group: string; place: string; ts: number; sport: number }

function runOf(ev: NetEvent, trimmed: NetEvent, preceded: Preceded): Run {
  const r: Run = {
    dst: ev.dst!, firstPort: ev.dport!, lastPort: ev.dport!, startTs: ev.ts, lastTs: ev.ts, count: 1, ttl: ev.ttl, ttlVaries: false,
    events: [trimmed], preceded,
  };
  return r;
}

function addTtl(r: Run, ttl: number | undefined): void {
  if (ttl === undefined) return;
  if (r.ttl === undefined) r.ttl = ttl;
  else if (ttl !== r.ttl) r.ttlVaries = true;
}

function continues(r: Run, dst: string, port: number, ts: number): boolean {
  return r.dst === dst && port === r.lastPort + 1 && ts - r.lastTs <= BURST_GAP_US;
}

export class BurstTracker {
  readonly groups = new Map<string, BurstGroup>();
  private readonly lastUdp = new Map<string, LastDatagram>();
  private pending: PendingStart[] = [];
  /** Per file: the earliest and the latest time read, and the smallest byte offset (to order segments). */
  private readonly files = new Map<string, { first: number; last: number; offset: number }>();
  /** Groups forgotten to stay under MAX_BURST_GROUPS, and other bounds reached; said in the findings. */
  forgottenGroups = 0;
  droppedStarts = 0;
  private tick = 0;

  add(ev: NetEvent): void {
    const file = ev.source.file;
    let f = this.files.get(file);
    if (!f) { f = { first: ev.ts, last: ev.ts, offset: ev.source.offset }; this.files.set(file, f); } else {
      if (ev.ts > f.last) f.last = ev.ts;
      if (ev.ts < f.first) f.first = ev.ts;
      if (ev.source.offset < f.offset) f.offset = ev.source.offset;
    }
    const key = `${ev.src}|${ev.sport}|${ev.payloadLength ?? 0}`;
    let g = this.groups.get(key);
    let trimmed: NetEvent | undefined;
    if (g) {
      if (eventOrder(ev, g.firstEv) < 0) g.firstEv = trimmed = slim(ev);
    } else {
      if (this.groups.size >= MAX_BURST_GROUPS) this.forgetGroups();
      trimmed = slim(ev);
      g = { key, lastSeen: 0, src: ev.src!, sport: ev.sport!, size: ev.payloadLength ?? 0, firstEv: trimmed, streams: new Streams() };
      this.groups.set(key, g);
    }
    g.lastSeen = this.tick++;
    const place = `${file}|${ev.src}|${ev.dst}`;
    const last = this.lastUdp.get(place);
    const s = g.streams.get(file);
    const cur = s ? (s.cur ?? (s.headOpen ? s.head : undefined)) : undefined;
    if (s && cur && continues(cur, ev.dst!, ev.dport!, ev.ts)) {
      cur.lastPort = ev.dport!;
      cur.lastTs = ev.ts;
      cur.count++;
      addTtl(cur, ev.ttl);
      if (cur.events.length < 8) cur.events.push(trimmed ?? slim(ev));
    } else {
      // What the host sent to the same destination just before: bursts that follow the host's own datagrams ride on its traffic.
      // Nothing earlier in this segment: the previous segment may hold it, if this start is near the segment's beginning.
      const preceded: Preceded = last ? precededBy(last, ev.ts, ev.sport!) : ev.ts - f.first <= PRECEDED_WITHIN_US ? PENDING : null;
      if (!s) {
        g.streams.set(file, { head: runOf(ev, trimmed ?? slim(ev), preceded), headOpen: true });
      } else {
        if (cur) this.close(g, s, cur);
        if (preceded === PENDING) this.addPending({ group: g.key, place, ts: ev.ts, sport: ev.sport! });
        else countPreceded(g, preceded, ev.ts);
        s.cur = runOf(ev, trimmed ?? slim(ev), null);
      }
    }
    if (last) { last.ts = ev.ts; last.sport = ev.sport!; last.dport = ev.dport!; return; }
    if (this.lastUdp.size >= MAX_LAST_UDP) this.pruneLastUdp();
    this.lastUdp.set(place, { ts: ev.ts, sport: ev.sport!, dport: ev.dport! });
  }

  /** Fold the tracker of another part of the evidence in; a file both read is joined in byte order. */
  merge(other: BurstTracker): void {
    // For each file both read: is their segment the later one?
    const theirsLater = new Map<string, boolean>();
    for (const [file, t] of other.files) {
      const m = this.files.get(file);
      if (!m) { this.files.set(file, { ...t }); continue; }
      theirsLater.set(file, t.offset > m.offset);
      m.first = Math.min(m.first, t.first);
      m.last = Math.max(m.last, t.last);
      m.offset = Math.min(m.offset, t.offset);
    }
    // Burst starts that waited for the segment before theirs.
    const pending: PendingStart[] = [];
    const resolve = (p: PendingStart, earlier: Map<string, LastDatagram>, groups: Map<string, BurstGroup>): void => {
      const prev = earlier.get(p.place);
      if (!prev) { pending.push(p); return; }
      const g = groups.get(p.group);
      if (g) countPreceded(g, precededBy(prev, p.ts, p.sport), p.ts);
    };
    for (const p of this.pending) {
      if (theirsLater.get(fileOf(p.place)) === false) resolve(p, other.lastUdp, this.groups);
      else pending.push(p);
    }
    for (const p of other.pending) {
      if (theirsLater.get(fileOf(p.place)) === true) resolve(p, this.lastUdp, other.groups);
      else pending.push(p);
    }
    // A first run with nothing before it in its own segment may find its predecessor in the earlier one.
    for (const [key, g] of this.groups) {
      const og = other.groups.get(key);
      for (const [file, ms] of g.streams.entries()) {
        if (theirsLater.get(file) === false && !og?.streams.has(file)) resolveHead(g, ms, file, other.lastUdp);
      }
    }
    for (const [key, og] of other.groups) {
      const g = this.groups.get(key);
      if (!g) {
        for (const [file, os] of og.streams.entries()) if (theirsLater.get(file)) resolveHead(og, os, file, this.lastUdp);
        this.groups.set(key, og);
        continue;
      }
      for (const [file, os] of og.streams.entries()) {
        const ms = g.streams.get(file);
        if (!ms) { if (theirsLater.get(file)) resolveHead(g, os, file, this.lastUdp); g.streams.set(file, os); }
        else if (theirsLater.get(file)) this.join(g, ms, os, file, this.lastUdp, pending);
        else { this.join(g, os, ms, file, other.lastUdp, pending); g.streams.set(file, os); }
      }
      og.streams.clear();
      mergeGroups(g, og);
    }
    for (const [place, d] of other.lastUdp) {
      if (!this.lastUdp.has(place) || theirsLater.get(fileOf(place)) !== false) this.lastUdp.set(place, d);
    }
    this.pending = [];
    for (const p of pending) this.addPending(p);
    this.forgottenGroups += other.forgottenGroups;
    this.droppedStarts += other.droppedStarts;
    if (this.groups.size > MAX_BURST_GROUPS) this.forgetGroups();
    if (this.lastUdp.size > MAX_LAST_UDP) this.pruneLastUdp();
  }

  /** Every group, its streams closed: runs still open end here, first runs have nothing before them. */
  finish(): BurstGroup[] {
    for (const g of this.groups.values()) {
      for (const [, s] of g.streams.entries()) settle(g, s);
      g.streams.clear();
    }
    this.pending = [];
    return [...this.groups.values()].sort((a, b) => eventOrder(a.firstEv, b.firstEv));
  }

  /**
   * Segment `b` of a file follows segment `a`; the result is left in `a`.
   * The run `a` ended with and the run `b` began with are one burst if the
   * ports and times continue; otherwise `b`'s first run is an ordinary one,
   * and what preceded it is looked up in `earlier` (the last datagrams `a`'s reader saw).
   */
  private join(g: BurstGroup, a: Stream, b: Stream, file: string, earlier: Map<string, LastDatagram>, pending: PendingStart[]): void {
    const t = a.cur ?? (a.headOpen ? a.head : undefined);
    const h = b.head;
    if (t && continues(t, h.dst, h.firstPort, h.startTs)) {
      t.lastPort = h.lastPort;
      t.lastTs = h.lastTs;
      t.count += h.count;
      addTtl(t, h.ttl);
      if (h.ttlVaries) t.ttlVaries = true;
      for (const e of h.events) if (t.events.length < 8) t.events.push(e);
      if (!b.headOpen) this.close(g, a, t);
    } else {
      if (t) this.close(g, a, t);
      if (h.preceded !== PENDING) countPreceded(g, h.preceded, h.startTs);
      else {
        const place = `${file}|${g.src}|${h.dst}`;
        const prev = earlier.get(place);
        if (prev) countPreceded(g, precededBy(prev, h.startTs, g.sport), h.startTs);
        else pending.push({ group: g.key, place, ts: h.startTs, sport: g.sport });
      }
      h.preceded = null;
      if (b.headOpen) a.cur = h;
      else closeAfterHead(g, a, h);
    }
    if (b.pendingFirst !== undefined) {
      if (a.lastEnd !== undefined) { if (b.pendingFirst === a.lastEnd + 1) st(g).continuing++; } else a.pendingFirst = b.pendingFirst;
    }
    if (b.lastEnd !== undefined) a.lastEnd = b.lastEnd;
    if (b.cur) a.cur = b.cur;
  }

  private close(g: BurstGroup, s: Stream, r: Run): void {
    if (r === s.head) { s.headOpen = false; return; }
    s.cur = undefined;
    closeAfterHead(g, s, r);
  }

  private addPending(p: PendingStart): void {
    if (this.pending.length < MAX_PENDING) this.pending.push(p);
    else this.droppedStarts++;
  }

  /**
   * Drop the datagrams too old to precede anything still to come; if more
   * than half the bound is still held, also the oldest recent ones (counted:
   * a burst start they preceded will not be seen as preceded).
   */
  private pruneLastUdp(): void {
    const fresh: Array<[string, number]> = [];
    for (const [place, d] of this.lastUdp) {
      const f = this.files.get(fileOf(place));
      if (!f || d.ts < f.last - PRECEDED_WITHIN_US) this.lastUdp.delete(place);
      else fresh.push([place, d.ts]);
    }
    if (this.lastUdp.size <= MAX_LAST_UDP / 2) return;
    fresh.sort((x, y) => x[1] - y[1]);
    for (let i = 0; this.lastUdp.size > MAX_LAST_UDP / 2; i++) {
      this.lastUdp.delete(fresh[i][0]);
      this.droppedStarts++;
    }
  }

  /**
   * Forget the least recently active half of the groups that have neither a
   * burst nor a run long enough to become one; if that is not enough, past
   * twice the bound, the least recently active of the rest too. Each is
   * counted, and the findings say so.
   */
  private forgetGroups(): void {
    const idle: BurstGroup[] = [];
    const busy: BurstGroup[] = [];
    for (const g of this.groups.values()) (burstCount(g) > 0 || hasLongRun(g) ? busy : idle).push(g);
    idle.sort((a, b) => a.lastSeen - b.lastSeen);
    const forget = (g: BurstGroup): void => { this.groups.delete(g.key); this.forgottenGroups++; };
    for (const g of idle) { if (this.groups.size <= MAX_BURST_GROUPS / 2) return; forget(g); }
    if (this.groups.size < 2 * MAX_BURST_GROUPS) return;
    busy.sort((a, b) => a.lastSeen - b.lastSeen);
    for (const g of busy) { if (this.groups.size <= MAX_BURST_GROUPS) return; forget(g); }
  }
}

function hasLongRun(g: BurstGroup): boolean {
  for (const [, s] of g.streams.entries()) if (s.head.count >= BURST_MIN_LEN || (s.cur && s.cur.count >= BURST_MIN_LEN)) return true;
  return false;
}

function fileOf(place: string): string {
  return place.slice(0, place.indexOf('|'));
}

function resolveHead(g: BurstGroup, s: Stream, file: string, earlier: Map<string, LastDatagram>): void {
  if (s.head.preceded !== PENDING) return;
  const prev = earlier.get(`${file}|${g.src}|${s.head.dst}`);
  if (prev) s.head.preceded = precededBy(prev, s.head.startTs, g.sport);
}

function precededBy(prev: LastDatagram, ts: number, sport: number): string | null {
  return prev.sport !== sport && ts - prev.ts <= PRECEDED_WITHIN_US ? `udp ${prev.sport}->${prev.dport}` : null;
}

/** A burst start that `what` preceded (null: nothing did). */
function countPreceded(g: BurstGroup, what: string | null, ts: number): void {
  if (what !== null) addPreceded(st(g), what, ts);
}

function record(g: BurstGroup, b: Run): boolean {
  if (b.count < BURST_MIN_LEN) return false;
  recordBurst(st(g), b);
  return true;
}

/** The same group as another part of the evidence saw it. */
function mergeGroups(g: BurstGroup, o: BurstGroup): void {
  if (eventOrder(o.firstEv, g.firstEv) < 0) g.firstEv = o.firstEv;
  const x = o.stats;
  if (!x) return;
  if (g.stats) mergeStats(g.stats, x);
  else g.stats = x;
}

/** A stream's first run, now known to have nothing before it, then its open run: counted as bursts if long enough. */
function settle(g: BurstGroup, s: Stream): void {
  countPreceded(g, s.head.preceded === PENDING ? null : s.head.preceded, s.head.startTs);
  const headEnd = record(g, s.head) ? s.head.lastPort : undefined;
  if (s.pendingFirst !== undefined && headEnd !== undefined && s.pendingFirst === headEnd + 1) st(g).continuing++;
  if (s.lastEnd === undefined) s.lastEnd = headEnd;
  if (s.cur) closeAfterHead(g, s, s.cur);
}

/** A run closed after the stream's first run: a burst if long enough, continuing the previous burst's ports or not. */
function closeAfterHead(g: BurstGroup, s: Stream, r: Run): void {
  if (!record(g, r)) return;
  if (s.lastEnd !== undefined) { if (r.firstPort === s.lastEnd + 1) st(g).continuing++; } else s.pendingFirst = r.firstPort;
  s.lastEnd = r.lastPort;
}

