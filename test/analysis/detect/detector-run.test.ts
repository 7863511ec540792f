import { describe, expect, it } from 'vitest';
import type { DetectContext, Detector } from '../../../analysis/detect/detector';
import { DetectorRun } from '../../../analysis/detect/detector-run';
import { streamingDetector, type StreamContext } from '../../../analysis/detect/stream';
import { makeContext } from '../../helpers/context';
import { udp } from '../../helpers/events';

/** Counts datagrams per destination port: the smallest streaming detector. */
const portCounter = streamingDetector('port-counter', () => {
  const counts = new Map<number, number>();
  return {
    add(ev) { if (ev.dport !== undefined) counts.set(ev.dport, (counts.get(ev.dport) ?? 0) + 1); },
    merge(other) { for (const [p, n] of (other as unknown as { counts: Map<number, number> }).counts ?? []) counts.set(p, (counts.get(p) ?? 0) + n); },
    finish: () => [...counts].map(([port, n]) => ({ id: 'ports', detector: 'port-counter', leaning: 'context' as const, strength: 0, summary: `${port}:${n}`, evidence: [] })),
    counts,
  };
});
const failing = (where: 'add' | 'finish'): Detector & ReturnType<typeof streamingDetector> => streamingDetector(`fails-in-${where}`, () => ({
  add() { if (where === 'add') throw new Error('boom in add'); },
  merge() {},
  finish() { if (where === 'finish') throw new Error('boom in finish'); return []; },
}));
const batch: Detector = { id: 'batch', detect: (ctx) => [{ id: 'seen', detector: 'batch', leaning: 'context', strength: 0, summary: String(ctx.events.length), evidence: [] }] };

const events = [53, 53, 123, 53].map((dport) => udp({ src: '198.51.100.1', dst: '192.0.2.1', sport: 4000, dport }));
const ctx: DetectContext = makeContext({ events, accused: ['198.51.100.1'] });
const sctx: StreamContext = { complaint: ctx.complaint, accused: ctx.accused, targets: [], isOurs: ctx.isOurs };

describe('DetectorRun', () => {
  it('feeds streaming detectors every event and runs batch detectors on the retained ones', () => {
    const run = new DetectorRun(sctx, [portCounter, batch]);
    for (const ev of events) run.add(ev);
    const f = run.finish({ ...ctx, events: events.slice(0, 1) });
    expect(f.map((x) => x.summary)).toEqual(['53:3', '123:1', '1']);
  });

  it('gives the same findings as a streaming detector called on the whole context', () => {
    const run = new DetectorRun(sctx, [portCounter]);
    for (const ev of events) run.add(ev);
    expect(run.finish(ctx)).toEqual(portCounter.detect(ctx));
  });

  it('merges a run over the other half of the evidence exactly', () => {
    const a = new DetectorRun(sctx, [portCounter]);
    const b = new DetectorRun(sctx, [portCounter]);
    events.forEach((ev, i) => (i % 2 ? a : b).add(ev));
    a.merge(b);
    expect(a.finish(ctx)).toEqual(portCounter.detect(ctx));
  });

  it('reports a detector that throws in add or finish and keeps the others', () => {
    const run = new DetectorRun(sctx, [failing('add'), portCounter, failing('finish')]);
    for (const ev of events) run.add(ev);
    const f = run.finish(ctx);
    expect(f.filter((x) => x.id === 'detector-error').map((x) => [x.detector, x.summary])).toEqual([
      ['fails-in-add', 'Detector fails-in-add failed: boom in add'],
      ['fails-in-finish', 'Detector fails-in-finish failed: boom in finish'],
    ]);
    expect(f.filter((x) => x.id === 'ports')).toHaveLength(2);
  });
});
