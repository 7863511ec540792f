import type { NetEvent } from '../events/event';
import { TimeOccupancy } from './time-occupancy';

/** Offsets tried: 15-minute steps (zones come in quarter hours) up to ±14 h (UTC-12 .. UTC+14). */
export const OFFSET_STEP_SECONDS = 15 * 60;
export const OFFSET_MAX_SECONDS = 14 * 3600;
/** Moments this loose (prose times, to the minute) are only shifted by whole hours. */
export const PROSE_TOLERANCE_SECONDS = 60;
/** Whole days tried when nothing lines up within a day: a date typed wrong, a log exported with the wrong date. */
export const MAX_DAYS_OFF = 7;
/** Quoted lines (to the second, on the same hosts) that must line up before a shift of whole days is believed. */
export const MIN_DAY_SHIFT_MATCHES = 2;

export interface OffsetResult {
  /** Complaint time minus evidence time, in seconds (0 when the clocks agree). */
  offsetSeconds: number;
  /** How many complaint times or quoted events found a matching evidence event at that offset. */
  matched: number;
  /** Matches at offset 0, to say how much better the chosen offset is. */
  matchedAtZero: number;
  total: number;
  /** Whole days in the offset (0 for a zone or clock offset within ±14 h): the complaint's dates are off, not its clock. */
  daysOff: number;
}

/** A time the complaint gives, with the addresses it involves when known. */
export interface ComplaintMoment {
  ts: number;
  src?: string;
  dst?: string;
  /** How far apart a match may be: quoted log lines are to the second, prose times to the minute or more. */
  toleranceSeconds: number;
}

/** Where each host was seen, and where anything was: what the offset search looks moments up in. */
export interface SeenIndex {
  host(addr: string): TimeOccupancy | undefined;
  any: TimeOccupancy;
}

/** A SeenIndex over a list of events (tests, small evidence). */
export function seenIndexOf(evidence: Iterable<NetEvent>): SeenIndex {
  const any = new TimeOccupancy();
  const byHost = new Map<string, TimeOccupancy>();
  for (const e of evidence) {
    any.add(e.ts);
    for (const h of [e.src, e.dst]) {
      if (!h) continue;
      let o = byHost.get(h);
      if (!o) byHost.set(h, (o = new TimeOccupancy()));
      o.add(e.ts);
    }
  }
  return { host: (a) => byHost.get(a), any };
}

/**
 * Find a constant clock or zone offset between the complaint and our
 * evidence: try every offset in 15-minute steps and keep the one that lines
 * up the most complaint moments with evidence on the same hosts.
 * Ties keep the offset nearest zero: we never shift without a reason, and we
 * report any shift we make.
 */
export function findClockOffset(moments: ComplaintMoment[], evidence: NetEvent[] | SeenIndex): OffsetResult {
  const seen = Array.isArray(evidence) ? seenIndexOf(evidence) : evidence;
  const score = (offset: number): number => {
    let n = 0;
    for (const m of moments) {
      // A time in prose ("at 03:10") lines up with something at many offsets; only a zone's whole hours explain it.
      if (m.toleranceSeconds >= PROSE_TOLERANCE_SECONDS && offset % 3600 !== 0) continue;
      const want = m.ts - offset * 1e6;
      const where = (m.src && seen.host(m.src)) || (m.dst && seen.host(m.dst)) || seen.any;
      if (where.hasWithin(want, m.toleranceSeconds * 1e6)) n++;
    }
    return n;
  };
  const zero = score(0);
  let best = { offset: 0, matched: zero };
  for (let o = OFFSET_STEP_SECONDS; o <= OFFSET_MAX_SECONDS; o += OFFSET_STEP_SECONDS) {
    for (const off of [o, -o]) {
      const s = score(off);
      if (s > best.matched) best = { offset: off, matched: s };
    }
  }
  let daysOff = 0;
  const quoted = moments.filter((m) => m.toleranceSeconds < PROSE_TOLERANCE_SECONDS).length;
  if (best.matched === 0 && quoted >= MIN_DAY_SHIFT_MATCHES) {
    // Only quoted lines can prove a date error: several of them, to the second, on their own hosts, at one shift.
    for (let d = 1; d <= MAX_DAYS_OFF && daysOff === 0; d++) {
      for (const sign of [1, -1]) {
        for (let o = -OFFSET_MAX_SECONDS; o <= OFFSET_MAX_SECONDS; o += OFFSET_STEP_SECONDS) {
          const off = sign * d * 86_400 + o;
          const s = score(off);
          if (s >= MIN_DAY_SHIFT_MATCHES && 2 * s >= quoted && s > best.matched) { best = { offset: off, matched: s }; daysOff = sign * d; }
        }
        if (daysOff !== 0) break;
      }
    }
  }
  return { offsetSeconds: best.offset, matched: best.matched, matchedAtZero: zero, total: moments.length, daysOff };
}
