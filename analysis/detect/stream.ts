import type { Complaint } from '../complaint/complaint';
import type { NetEvent } from '../events/event';
import type { Inventory } from '../triage/inventory';
import type { DetectContext, Detector, Finding } from './detector';

/**
 * Streaming detectors (Zeek's SumStats: observe, reduce, finish per epoch).
 * A streaming detector sees every relevant event once, as it is read, and
 * keeps bounded accumulators (counters, sketches, samples) instead of the
 * events: its memory does not grow with the capture. Two accumulators of
 * the same detector merge exactly, so workers can split the evidence.
 */

/** What is known before the first event: the complaint's own addresses, not yet what the evidence adds. */
export interface StreamContext {
  complaint: Complaint;
  /** Addresses we answer for. */
  accused: string[];
  /** The complainant's addresses as the complaint names or quotes them (may be empty). */
  targets: string[];
  isOurs(addr: string): boolean;
  inventory?: Inventory;
}

export interface Accumulator {
  /** One event, in file order (not necessarily time order across files). */
  add(ev: NetEvent): void;
  /** Fold another accumulator of the same detector, started with the same context, into this one. */
  merge(other: Accumulator): void;
  /** Findings from what was accumulated; `ctx.events` holds only what the pipeline retained, not every event. */
  finish(ctx: DetectContext): Finding[];
}

export interface StreamDetector {
  id: string;
  start(ctx: StreamContext): Accumulator;
}

/**
 * A streaming detector that can also be called like a batch one on a
 * context's events (tests, the first look): start, add each, finish.
 */
export function streamingDetector(id: string, start: (ctx: StreamContext) => Accumulator): StreamDetector & Detector {
  return {
    id,
    start,
    detect(ctx: DetectContext): Finding[] {
      const acc = start(ctx);
      for (const ev of ctx.events) acc.add(ev);
      return acc.finish(ctx);
    },
  };
}

export function isStreamDetector(d: Detector | StreamDetector): d is StreamDetector {
  return typeof (d as StreamDetector).start === 'function';
}
