import { describe, expect, it } from 'vitest';
import { buildTimeline, tickLabel, timeTicks } from '../../../renderer/lib/timeline';
import type { AnalysisResult } from '../../../renderer/lib/types';
import { loadResult } from '../fake-api';

/** The chart's axis as TimelineChart.svelte lays it out at `width` px (its LEFT 118 and RIGHT 24 margins, one tick per 140 px). */
function axis(result: AnalysisResult, width: number) {
  const t = buildTimeline(result);
  const plot = width - 118 - 24;
  const ticks = timeTicks(t.domain, Math.max(4, Math.floor(plot / 140)));
  const span = (t.domain[1] - t.domain[0]) / 1e6;
  const px = (ts: number) => ((ts - t.domain[0]) / (t.domain[1] - t.domain[0])) * plot;
  return { ticks, labels: ticks.map((x) => tickLabel(x, span)), px };
}

/** The backscatter example with its complaint time moved by `days` (evidence far from the complaint). */
function far(days: number): AnalysisResult {
  const r = structuredClone(loadResult('seed001-synflood-backscatter'));
  r.complaint.times = r.complaint.times.map((x) => ({ ...x, ts: x.ts + days * 86_400e6 }));
  return r;
}

describe('the timeline\'s ticks', () => {
  for (const days of [0, 3, 40, 400, 4000]) {
    for (const width of [640, 960, 1800]) {
      it(`evidence ${days} days from the complaint, ${width} px: labels never overprint`, () => {
        const { ticks, labels, px } = axis(far(days), width);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(Math.max(4, Math.floor((width - 142) / 140)) + 1);
        // A label is at most ~7.5 px a character at the axis' type size; neighbours' centres are further apart than that.
        for (let i = 1; i < ticks.length; i++) {
          const room = px(ticks[i]) - px(ticks[i - 1]);
          expect(room, `${labels[i - 1]} | ${labels[i]}`).toBeGreaterThan(7.5 * Math.max(labels[i].length, labels[i - 1].length));
        }
        expect(new Set(labels).size).toBe(labels.length);
      });
    }
  }

  it('labels carry the year once the axis spans months', () => {
    const year = 365 * 86_400;
    const t = Date.UTC(2025, 11, 18, 0, 40) * 1000;
    expect(tickLabel(t, 2 * year)).toBe('2025-12-18');
    expect(tickLabel(t, 10 * 86_400)).toBe('12-18 00:40');
    expect(tickLabel(t, 3600)).toBe('00:40');
    expect(tickLabel(t + 5e6, 120)).toBe('00:40:05');
    expect(timeTicks([0, 30 * year * 1e6], 6).length).toBeLessThanOrEqual(7);
  });
});
