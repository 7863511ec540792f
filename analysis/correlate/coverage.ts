/** The part of a TimeOccupancy that coverage asks. */
export interface SeenTimes {
  hasWithin(tsMicros: number, tolMicros: number): boolean;
}

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

/** What coverage is computed from: the evidence overview's counts and the times anything was seen. */
export interface CoverageInput {
  accusedEvents: number;
  pairEvents: number;
  firstTs?: number;
  lastTs?: number;
  any: SeenTimes;
}

/**
 * Does the evidence speak to the complaint at all: the accused host, its
 * targets, the complaint's window? A complaint time counts as covered when
 * the evidence holds anything within the margin of it, not merely when it
 * falls between the first and last record: two captures a day apart leave
 * the day between them uncovered.
 */
export function coverage(input: CoverageInput, complaintTimes: number[], offsetSeconds: number): Coverage {
  const { accusedEvents, pairEvents, firstTs, lastTs } = input;
  let timesCovered = 0;
  const margin = COVERAGE_MARGIN_SECONDS * 1e6;
  for (const t of complaintTimes) if (input.any.hasWithin(t - offsetSeconds * 1e6, margin)) timesCovered++;
  return { accusedEvents, pairEvents, firstTs, lastTs, timesCovered, timesTotal: complaintTimes.length };
}
