import type { NetEvent } from '../events/event';

/** Offsets tried: 15-minute steps (zones come in quarter hours) up to ±14 h (UTC-12 .. UTC+14). */
export const OFFSET_STEP_SECONDS = 15 * 60;
export const OFFSET_MAX_SECONDS = 14 * 3600;

export interface OffsetResult {
  /** Complaint time minus evidence time, in seconds (0 when the clocks agree). */
  offsetSeconds: number;
  /** How many complaint times or quoted events found a matching evidence event at that offset. */
  matched: number;
  /** Matches at offset 0, to say how much better the chosen offset is. */
  matchedAtZero: number;
  total: number;
}

/** A time the complaint gives, with the addresses it involves when known. */
export interface ComplaintMoment {
  ts: number;
  src?: string;
  dst?: string;
  /** How far apart a match may be: quoted log lines are to the second, prose times to the minute or more. */
  toleranceSeconds: number;
}

/**
 * Find a constant clock or zone offset between the complaint and our
 * evidence: try every offset in 15-minute steps and keep the one that lines
 * up the most complaint moments with evidence events on the same hosts.
 * Ties keep the offset nearest zero: we never shift without a reason, and we
 * report any shift we make.
 */
export function findClockOffset(moments: ComplaintMoment[], evidence: NetEvent[]): OffsetResult {
  const times = evidence.map((e) => e.ts).sort((a, b) => a - b);
  const byHost = new Map<string, number[]>();
  for (const e of evidence) {
    for (const h of [e.src, e.dst]) {
      if (!h) continue;
      let list = byHost.get(h);
      if (!list) byHost.set(h, (list = []));
      list.push(e.ts);
    }
  }
  for (const list of byHost.values()) list.sort((a, b) => a - b);
  const score = (offset: number): number => {
    let n = 0;
    for (const m of moments) {
      const want = m.ts - offset * 1e6;
      const list = (m.src && byHost.get(m.src)) || (m.dst && byHost.get(m.dst)) || times;
      if (hasWithin(list, want, m.toleranceSeconds * 1e6)) n++;
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
  return { offsetSeconds: best.offset, matched: best.matched, matchedAtZero: zero, total: moments.length };
}

/** Binary search: is there a value in sorted `list` within `tol` of `want`? */
function hasWithin(list: number[], want: number, tol: number): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < want - tol) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo] <= want + tol;
}
