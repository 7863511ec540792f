import type { NetEvent } from '../events/event';

export interface Coverage {
  /** Evidence events that involve an accused address. */
  accusedEvents: number;
  /** Evidence events between an accused address and a target. */
  pairEvents: number;
  firstTs?: number;
  lastTs?: number;
  /** Complaint times (after the clock offset) that fall inside the evidence span, with a margin. */
  timesCovered: number;
  timesTotal: number;
}

/** Margin around the evidence span within which a complaint time still counts as covered. */
export const COVERAGE_MARGIN_SECONDS = 15 * 60;

/** Does the evidence speak to the complaint at all: the accused host, its targets, the complaint's window? */
export function coverage(
  events: NetEvent[],
  accused: string[],
  targets: string[],
  complaintTimes: number[],
  offsetSeconds: number,
): Coverage {
  const acc = new Set(accused);
  const tgt = new Set(targets);
  let accusedEvents = 0;
  let pairEvents = 0;
  let firstTs: number | undefined;
  let lastTs: number | undefined;
  for (const e of events) {
    if (firstTs === undefined || e.ts < firstTs) firstTs = e.ts;
    if (lastTs === undefined || e.ts > lastTs) lastTs = e.ts;
    const a = (e.src && acc.has(e.src)) || (e.dst && acc.has(e.dst));
    if (!a) continue;
    accusedEvents++;
    if ((e.src && tgt.has(e.src)) || (e.dst && tgt.has(e.dst))) pairEvents++;
  }
  let timesCovered = 0;
  if (firstTs !== undefined && lastTs !== undefined) {
    const margin = COVERAGE_MARGIN_SECONDS * 1e6;
    for (const t of complaintTimes) {
      const local = t - offsetSeconds * 1e6;
      if (local >= firstTs - margin && local <= lastTs + margin) timesCovered++;
    }
  }
  return { accusedEvents, pairEvents, firstTs, lastTs, timesCovered, timesTotal: complaintTimes.length };
}
