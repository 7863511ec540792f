import type { NetEvent } from '../events/event';
import type { DetectContext, Detector, Finding } from './detector';
import type { Accumulator, StreamContext, StreamDetector } from './stream';

/**
 * A detector that reasons over a small, known slice of the evidence (the
 * packets between our host and the complainant, the frames from an address
 * nobody can route) run as a streaming one: while events stream past, it
 * keeps only its slice, up to `cap` events, and counts what it had to leave
 * out. At the end the batch detector runs on that slice, in time order, and
 * each of its findings says in `facts.eventsNotSeen` how many it never saw,
 * so a figure in the reply can say "at least".
 *
 * The first packet of the evidence is always kept as well, so a detector can
 * still tell "no packet capture at all" from "no packet between us and them".
 */
export function retaining(
  detector: Detector,
  select: (ctx: StreamContext) => (ev: NetEvent) => boolean,
  cap: number,
): Detector & StreamDetector {
  const start = (ctx: StreamContext): Accumulator => new RetainedSlice(detector, select(ctx), cap);
  return {
    id: detector.id,
    start,
    detect: (ctx: DetectContext): Finding[] => detector.detect(ctx),
  };
}

export class RetainedSlice implements Accumulator {
  kept: NetEvent[] = [];
  notSeen = 0;
  firstPacket: NetEvent | undefined;

  constructor(private readonly detector: Detector, private readonly wanted: (ev: NetEvent) => boolean, private readonly cap: number) {}

  add(ev: NetEvent): void {
    if (this.firstPacket === undefined && ev.kind === 'packet') this.firstPacket = ev;
    if (!this.wanted(ev)) return;
    if (this.kept.length < this.cap) this.kept.push(ev);
    else this.notSeen++;
  }

  merge(other: Accumulator): void {
    const o = other as RetainedSlice;
    if (o.firstPacket && (!this.firstPacket || o.firstPacket.ts < this.firstPacket.ts)) this.firstPacket = o.firstPacket;
    for (const ev of o.kept) {
      if (this.kept.length < this.cap) this.kept.push(ev);
      else this.notSeen++;
    }
    this.notSeen += o.notSeen;
  }

  finish(ctx: DetectContext): Finding[] {
    const events = [...this.kept];
    if (this.firstPacket && !events.includes(this.firstPacket)) events.push(this.firstPacket);
    events.sort((a, b) => a.ts - b.ts);
    const findings = this.detector.detect({ ...ctx, events });
    if (this.notSeen === 0) return findings;
    return findings.map((f) => ({ ...f, facts: { ...f.facts, eventsNotSeen: this.notSeen } }));
  }
}
