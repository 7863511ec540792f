import type { NetEvent } from '../events/event';
import type { DetectContext, Detector, Finding } from './detector';
import { isStreamDetector, type Accumulator, type StreamContext, type StreamDetector } from './stream';

type AnyDetector = Detector | StreamDetector;

/** A detector that threw: reported as a zero-strength context finding, so the others' findings still count. */
export function detectorError(id: string, e: unknown): Finding {
  return {
    id: 'detector-error', detector: id, leaning: 'context', strength: 0,
    summary: `Detector ${id} failed: ${(e as Error)?.message ?? String(e)}`, evidence: [],
  };
}

/**
 * One case's detectors over a stream of events: streaming detectors get
 * every event as it is read; the others run at the end on the events the
 * pipeline retained. A detector that throws (in add or finish) is dropped
 * and reported; the rest go on.
 */
export class DetectorRun {
  private readonly accumulators = new Map<string, Accumulator>();
  private readonly errors = new Map<string, unknown>();

  constructor(ctx: StreamContext, private readonly list: readonly AnyDetector[]) {
    for (const d of list) {
      if (!isStreamDetector(d)) continue;
      try {
        this.accumulators.set(d.id, d.start(ctx));
      } catch (e) {
        this.errors.set(d.id, e);
      }
    }
  }

  add(ev: NetEvent): void {
    for (const [id, acc] of this.accumulators) {
      try {
        acc.add(ev);
      } catch (e) {
        this.accumulators.delete(id);
        this.errors.set(id, e);
      }
    }
  }

  /** Fold a run over another part of the evidence (same detectors, same context) into this one. */
  merge(other: DetectorRun): void {
    for (const [id, e] of other.errors) if (!this.errors.has(id)) this.errors.set(id, e);
    for (const [id, acc] of this.accumulators) {
      const theirs = other.accumulators.get(id);
      if (!theirs) { if (other.errors.has(id)) this.accumulators.delete(id); continue; }
      try {
        acc.merge(theirs);
      } catch (e) {
        this.accumulators.delete(id);
        this.errors.set(id, e);
      }
    }
  }

  finish(ctx: DetectContext): Finding[] {
    const out: Finding[] = [];
    for (const d of this.list) {
      const failed = this.errors.get(d.id);
      if (failed !== undefined) { out.push(detectorError(d.id, failed)); continue; }
      try {
        if (isStreamDetector(d)) out.push(...this.accumulators.get(d.id)!.finish(ctx));
        else out.push(...d.detect(ctx));
      } catch (e) {
        out.push(detectorError(d.id, e));
      }
    }
    return out;
  }
}
