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
  /** The live accumulators and their detectors' ids, side by side: arrays, so the loop at every event allocates nothing. */
  private ids: string[] = [];
  private accs: Accumulator[] = [];
  /**
   * Each accumulator's `add`, bound to it. Calling `accs[i].add` looks the
   * method up on a dozen classes at one call site (a megamorphic load, a
   * twentieth of a flood's analysis); a bound function is just called.
   */
  private adds: Array<(ev: NetEvent) => void> = [];
  private readonly errors = new Map<string, unknown>();

  constructor(ctx: StreamContext, private readonly list: readonly AnyDetector[]) {
    for (const d of list) {
      if (!isStreamDetector(d)) continue;
      try {
        const acc = d.start(ctx);
        this.accs.push(acc);
        this.adds.push(acc.add.bind(acc));
        this.ids.push(d.id);
      } catch (e) {
        this.errors.set(d.id, e);
      }
    }
  }

  add(ev: NetEvent): void {
    const adds = this.adds;
    for (let i = 0; i < adds.length; i++) {
      try {
        adds[i](ev);
      } catch (e) {
        // `adds` stays the array this loop began with; the next event sees the one without it.
        this.drop(this.adds.indexOf(adds[i]), e);
      }
    }
  }

  /** Fold a run over another part of the evidence (same detectors, same context) into this one. */
  merge(other: DetectorRun): void {
    for (const [id, e] of other.errors) if (!this.errors.has(id)) this.errors.set(id, e);
    for (let i = 0; i < this.accs.length; i++) {
      const k = other.ids.indexOf(this.ids[i]);
      if (k < 0) {
        if (other.errors.has(this.ids[i])) { this.ids.splice(i, 1); this.accs.splice(i, 1); this.adds.splice(i, 1); i--; }
        continue;
      }
      try {
        this.accs[i].merge(other.accs[k]);
      } catch (e) {
        this.drop(i, e);
        i--;
      }
    }
  }

  private drop(i: number, e: unknown): void {
    this.errors.set(this.ids[i], e);
    // New arrays: a loop over the old ones (add) goes on over what it had.
    this.ids = this.ids.filter((_, k) => k !== i);
    this.accs = this.accs.filter((_, k) => k !== i);
    this.adds = this.adds.filter((_, k) => k !== i);
  }

  finish(ctx: DetectContext): Finding[] {
    const out: Finding[] = [];
    for (const d of this.list) {
      const failed = this.errors.get(d.id);
      if (failed !== undefined) { out.push(detectorError(d.id, failed)); continue; }
      try {
        if (isStreamDetector(d)) out.push(...this.accs[this.ids.indexOf(d.id)].finish(ctx));
        else out.push(...d.detect(ctx));
      } catch (e) {
        out.push(detectorError(d.id, e));
      }
    }
    return out;
  }
}
