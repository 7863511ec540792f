import { describe, expect, it } from 'vitest';
import { TimeOccupancy } from '../../../analysis/correlate/time-occupancy';

const S = 1e6;
const T0 = 1_766_018_400 * S;

describe('TimeOccupancy', () => {
  it('answers "seen within tol" to the second, and an empty one never', () => {
    const o = new TimeOccupancy();
    expect(o.hasWithin(T0, 10 * S)).toBe(false);
    expect(o.span()).toBeUndefined();
    o.add(T0 + 0.5 * S);
    o.add(T0 + 100.2 * S);
    expect(o.hasWithin(T0 + 50 * S, 10 * S)).toBe(false);
    expect(o.hasWithin(T0 + 50 * S, 50 * S)).toBe(true);
    expect(o.hasWithin(T0 + 103 * S, 2 * S)).toBe(false);
    expect(o.hasWithin(T0 + 102 * S, 2 * S)).toBe(true);
    expect(o.span()).toEqual({ first: T0, last: T0 + 101 * S - 1 });
    expect(o.slack).toBe(0);
  });

  it('keeps a second-by-second flood as one interval, in any arrival order', () => {
    const o = new TimeOccupancy();
    const secs = Array.from({ length: 10_000 }, (_, i) => i);
    for (let i = secs.length - 1; i > 0; i--) { const j = (i * 7919) % (i + 1); [secs[i], secs[j]] = [secs[j], secs[i]]; }
    for (const s of secs) for (let k = 0; k < 3; k++) o.add(T0 + s * S + k * 1000);
    expect(o.intervals).toBe(1);
    expect(o.hasWithin(T0 + 5000 * S, 0)).toBe(true);
  });

  it('stays within its bound by closing short gaps, and says how much it closed', () => {
    const o = new TimeOccupancy(64);
    for (let i = 0; i < 1000; i++) o.add(T0 + i * 3 * S);
    expect(o.intervals).toBeLessThanOrEqual(64);
    expect(o.slack).toBeGreaterThan(0);
    // Every second that was seen is still seen; a gap longer than the slack is still a gap.
    for (let i = 0; i < 1000; i += 37) expect(o.hasWithin(T0 + i * 3 * S, 0)).toBe(true);
    expect(o.hasWithin(T0 + 5000 * S, 0)).toBe(false);
  });

  it('merges to what one occupancy of both halves holds', () => {
    const a = new TimeOccupancy();
    const b = new TimeOccupancy();
    const one = new TimeOccupancy();
    for (let i = 0; i < 500; i++) {
      const t = T0 + (i % 2 ? i * 2 : i * 5) * S;
      (i % 2 ? a : b).add(t);
      one.add(t);
    }
    a.merge(b);
    expect(a.intervals).toBe(one.intervals);
    expect(a.span()).toEqual(one.span());
    for (let s = 0; s < 2600; s += 13) expect(a.hasWithin(T0 + s * S, 0), `second ${s}`).toBe(one.hasWithin(T0 + s * S, 0));
  });
});
