/**
 * When a complaint was made, for the case's date (History's order, the host
 * view's "first seen" and "last seen"): its Date header; a complaint pasted
 * without one is dated by the latest time it states (the incident it
 * reports), not by the moment it was pasted. A stated time in the future
 * (a wrong year or zone guessed for a time written without them) is no date.
 *
 * Pure.
 */
import type { Complaint } from './complaint';

/** Stated times this far past now still count: a zone written wrongly moves a time by hours, not days. */
const FUTURE_SLACK_MS = 86_400_000;

/** The complaint's date, ms since the epoch, or undefined when it gives none. */
export function complaintDateMs(c: Pick<Complaint, 'dateMs' | 'times'> & { quotedEvents?: Complaint['quotedEvents'] }, nowMs: number): number | undefined {
  if (c.dateMs !== undefined && Number.isFinite(c.dateMs)) return c.dateMs;
  const stated = [...(c.times ?? []).map((t) => t.ts), ...(c.quotedEvents ?? []).map((e) => e.ts)]
    .filter((us) => Number.isFinite(us))
    .map((us) => Math.round(us / 1000))
    .filter((ms) => ms > 0 && ms <= nowMs + FUTURE_SLACK_MS);
  return stated.length ? Math.max(...stated) : undefined;
}
