import { describe, expect, it } from 'vitest';
import type { Detector } from '../../../analysis/detect/detector';
import { isStreamDetector, streamingDetector, type Accumulator } from '../../../analysis/detect/stream';
import type { NetEvent } from '../../../analysis/events/event';
import { corpusContext } from './corpus';

/** A detector that counts the TCP SYNs it is fed, to see what streamingDetector feeds it. */
const synCounter = streamingDetector('syn-counter', (): Accumulator & { syns: number; seen: NetEvent[] } => {
  const acc = {
    syns: 0,
    seen: [] as NetEvent[],
    add(ev: NetEvent) { if (ev.tcpFlags === 0x02) acc.syns++; acc.seen.push(ev); },
    merge(o: Accumulator) { acc.syns += (o as typeof acc).syns; },
    finish: () => [{ id: 'syns', detector: 'syn-counter', leaning: 'context' as const, strength: 0, summary: String(acc.syns), evidence: [] }],
  };
  return acc;
});

describe('streaming detectors', () => {
  it('called as a batch detector, it starts, adds every event of the context in order and finishes (seed001: 1,716 SYNs)', async () => {
    const ctx = await corpusContext('cases/seed001-synflood-backscatter/www-border.pcap', ['198.51.100.80'], ['192.0.2.66']);
    expect(synCounter.detect(ctx).map((f) => f.summary)).toEqual(['1716']);
    const acc = synCounter.start(ctx) as Accumulator & { seen: NetEvent[] };
    for (const e of ctx.events) acc.add(e);
    expect(acc.seen).toEqual(ctx.events);
  });

  it('tells streaming detectors from batch ones', () => {
    const batch: Detector = { id: 'b', detect: () => [] };
    expect([isStreamDetector(synCounter), isStreamDetector(batch)]).toEqual([true, false]);
  });
});
