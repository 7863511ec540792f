import { describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import type { DetectContext, Detector } from '../../../analysis/detect/detector';
import { retaining } from '../../../analysis/detect/retained';
import { betweenUsAndThem, fromUnroutableAccused, whatTheirSensorSaw } from '../../../analysis/detect/retained-slices';
import { makeContext } from '../../helpers/context';

const US = '198.51.100.10';
const THEM = '203.0.113.77';
const ev = (ts: number, src: string, dst: string, kind: NetEvent['kind'] = 'packet'): NetEvent =>
  ({ kind, ts, src, dst, proto: 6, sport: 80, dport: 1000 + ts, source: { file: 'f', offset: ts } }) as unknown as NetEvent;

/** A batch detector that reports what it was shown. */
const echo: Detector = {
  id: 'echo',
  detect: (ctx: DetectContext) => [{ id: 'echo', detector: 'echo', leaning: 'context', strength: 0, summary: ctx.events.map((e) => e.ts).join(','), evidence: [], facts: { n: ctx.events.length } }],
};

function run(events: NetEvent[], select = betweenUsAndThem, cap = 10, targets = [THEM]) {
  const ctx = makeContext({ events, accused: [US], targets });
  const d = retaining(echo, select, cap);
  const acc = d.start(ctx);
  for (const e of events) acc.add(e);
  return acc.finish({ ...ctx, events: [] })[0];
}

describe('retaining a batch detector', () => {
  it('shows it only its slice, in time order, and the first packet of the evidence', () => {
    const f = run([ev(1, '192.0.2.1', '192.0.2.2'), ev(5, THEM, US), ev(3, US, THEM), ev(4, US, '192.0.2.9')]);
    expect(f.summary).toBe('1,3,5');
    expect(f.facts?.eventsNotSeen).toBeUndefined();
  });

  it('keeps at most its cap and says how many it never saw', () => {
    const f = run(Array.from({ length: 25 }, (_, i) => ev(i, US, THEM)), betweenUsAndThem, 10);
    expect(f.facts).toMatchObject({ n: 10, eventsNotSeen: 15 });
    expect(f.summary).toBe('0,1,2,3,4,5,6,7,8,9');
  });

  it('merges two halves into what one pass keeps while under the cap', () => {
    const events = Array.from({ length: 8 }, (_, i) => ev(i, i % 2 ? US : THEM, i % 2 ? THEM : US));
    const ctx = makeContext({ events, accused: [US], targets: [THEM] });
    const d = retaining(echo, betweenUsAndThem, 100);
    const a = d.start(ctx);
    const b = d.start(ctx);
    events.forEach((e, i) => (i < 3 ? a : b).add(e));
    a.merge(b);
    expect(a.finish({ ...ctx, events: [] })[0].summary).toBe(run(events, betweenUsAndThem, 100).summary);
  });

  it('slices: their sensor sees us and anyone when no target is named; unroutable sources only when accused', () => {
    const events = [ev(1, US, '192.0.2.9'), ev(2, '192.0.2.9', US), ev(3, '192.0.2.1', '192.0.2.2')];
    expect(run(events, whatTheirSensorSaw, 10, []).summary).toBe('1,2');
    expect(run(events, betweenUsAndThem, 10, []).summary, 'no named target, nothing between us and them (but the first packet)').toBe('1');
    const loop = [ev(1, '127.0.0.1', THEM), ev(2, US, THEM)];
    const ctx = makeContext({ events: loop, accused: ['127.0.0.1'], targets: [THEM] });
    const keep = fromUnroutableAccused(ctx);
    expect(loop.map(keep)).toEqual([true, false]);
  });
});
