import { describe, expect, it } from 'vitest';
import { coverage, COVERAGE_MARGIN_SECONDS } from '../../../analysis/correlate/coverage';
import { EvidenceOverview } from '../../../analysis/correlate/evidence-overview';
import type { NetEvent } from '../../../analysis/events/event';

const S = 1e6;
const DAY = 86_400 * S;
const T0 = 1_766_018_400 * S;
const ev = (ts: number, src: string, dst: string): NetEvent => ({ kind: 'packet', ts, src, dst, proto: 6, source: { file: 'f', offset: 0 } }) as unknown as NetEvent;

function overviewOf(events: NetEvent[], targets = ['192.0.2.66']): EvidenceOverview {
  const o = new EvidenceOverview(new Set(['198.51.100.80']), new Set(targets), ['198.51.100.80', ...targets]);
  for (const e of events) o.add(e);
  return o;
}

describe('coverage', () => {
  it('counts the accused and the pair, and a complaint time inside the margin as covered', () => {
    const o = overviewOf([ev(T0, '198.51.100.80', '192.0.2.66'), ev(T0 + S, '192.0.2.9', '198.51.100.80'), ev(T0 + 2 * S, '192.0.2.66', '198.51.100.80')]);
    const margin = COVERAGE_MARGIN_SECONDS * S;
    const c = coverage(o, [T0 + margin, T0 + 2 * S + margin + 2 * S], 0);
    expect(c).toMatchObject({ accusedEvents: 3, pairEvents: 2, firstTs: T0, lastTs: T0 + 2 * S, timesCovered: 1, timesTotal: 2 });
  });

  it('leaves the day between two captures uncovered, though it lies between the first and last record', () => {
    const o = overviewOf([ev(T0, '198.51.100.80', '192.0.2.66'), ev(T0 + 2 * DAY, '198.51.100.80', '192.0.2.66')]);
    expect(coverage(o, [T0 + DAY], 0).timesCovered).toBe(0);
    expect(coverage(o, [T0 + 2 * DAY + 60 * S], 0).timesCovered).toBe(1);
  });

  it('applies the clock offset (complaint time minus evidence time) before looking', () => {
    const o = overviewOf([ev(T0, '198.51.100.80', '192.0.2.66')]);
    expect(coverage(o, [T0 + 3600 * S], 0).timesCovered).toBe(0);
    expect(coverage(o, [T0 + 3600 * S], 3600).timesCovered).toBe(1);
  });

  it('names the peers the accused sent most to when the complaint names no target', () => {
    const o = overviewOf([
      ...Array.from({ length: 5 }, (_, i) => ev(T0 + i * S, '198.51.100.80', '203.0.113.1')),
      ...Array.from({ length: 3 }, (_, i) => ev(T0 + i * S, '198.51.100.80', '203.0.113.2')),
      ev(T0, '203.0.113.3', '198.51.100.80'),
    ], []);
    expect(o.topPeers(3)).toEqual(['203.0.113.1', '203.0.113.2']);
  });
});
