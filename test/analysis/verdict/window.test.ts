import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { partitionByWindow, WINDOW_MARGIN_SECONDS } from '../../../analysis/verdict/window';

const H = 3600e6;
const T0 = 1_766_018_400e6;
const finding = (id: string, ...ts: Array<number | undefined>): Finding => ({
  id, detector: id, leaning: 'compromise', strength: 0.9, summary: id,
  evidence: ts.map((t, i) => ({ file: 'f', offset: i, excerpt: 'x', ts: t })),
});

describe('partitionByWindow', () => {
  it('keeps findings whose evidence comes within the margin of a complaint time, moves the others out', () => {
    const near = finding('near', T0 + 0.5 * H);
    const spanning = finding('spanning', T0 - 5 * H, T0 + 5 * H);
    const far = finding('far', T0 + 3 * H, T0 + 4 * H);
    const untimed = finding('untimed', undefined);
    const r = partitionByWindow([near, spanning, far, untimed], [T0], 0);
    expect(r.inside.map((f) => f.id)).toEqual(['near', 'spanning', 'untimed']);
    expect(r.outside.map((f) => f.id)).toEqual(['far']);
  });

  it('puts the window where the clock offset says, and at the margin exactly it is still inside', () => {
    const f = finding('f', T0 + WINDOW_MARGIN_SECONDS * 1e6);
    expect(partitionByWindow([f], [T0], 0).inside).toHaveLength(1);
    expect(partitionByWindow([f], [T0 - 1e6], 0).inside).toHaveLength(0);
    expect(partitionByWindow([f], [T0 + 2 * H], 2 * 3600).inside).toHaveLength(1);
  });

  it('has no window without a complaint time', () => {
    expect(partitionByWindow([finding('f', T0 + 100 * H)], [], 0).outside).toEqual([]);
  });
});
