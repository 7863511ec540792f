import { describe, expect, it } from 'vitest';
import { findClockOffset } from '../../../analysis/correlate/clock-offset';
import type { NetEvent } from '../../../analysis/events/event';

const S = 1e6;
const T0 = 1_766_018_400 * S;
const ev = (ts: number, src = '198.51.100.80', dst = '192.0.2.66'): NetEvent =>
  ({ kind: 'packet', ts, src, dst, proto: 6, source: { file: 'f', offset: 0 } }) as unknown as NetEvent;

/** One event a second for a minute, from the accused. */
const minute = Array.from({ length: 60 }, (_, i) => ev(T0 + i * S));

describe('findClockOffset', () => {
  it('keeps 0 when the complaint and the evidence agree', () => {
    const r = findClockOffset([{ ts: T0 + 10 * S, src: '198.51.100.80', toleranceSeconds: 2 }], minute);
    expect(r).toMatchObject({ offsetSeconds: 0, matched: 1, matchedAtZero: 1 });
  });

  it('finds a quarter-hour zone offset from quoted lines (to the second, on the same hosts)', () => {
    const moments = [10, 20, 30].map((s) => ({ ts: T0 + s * S + 5.75 * 3600 * S, src: '198.51.100.80', dst: '192.0.2.66', toleranceSeconds: 2 }));
    expect(findClockOffset(moments, minute)).toMatchObject({ offsetSeconds: 5.75 * 3600, matched: 3, matchedAtZero: 0 });
  });

  it('shifts a time in prose only by whole hours: "03:10" against traffic at 01:40 is no offset', () => {
    const prose = (deltaS: number) => [{ ts: T0 + 30 * S + deltaS * S, src: '198.51.100.80', toleranceSeconds: 120 }];
    expect(findClockOffset(prose(1.5 * 3600), minute).offsetSeconds).toBe(0);
    expect(findClockOffset(prose(1.5 * 3600), minute).matched).toBe(0);
    expect(findClockOffset(prose(-2 * 3600), minute).offsetSeconds).toBe(-7200);
  });

  it('looks a moment up on its own host, and only falls back to any traffic when the host is not in the evidence', () => {
    const other = [ev(T0 + 3600 * S, '203.0.113.5', '203.0.113.6'), ...minute];
    const onHost = findClockOffset([{ ts: T0 + 3600 * S, src: '198.51.100.80', toleranceSeconds: 2 }], other);
    expect(onHost.offsetSeconds).toBe(3600);
    const unknownHost = findClockOffset([{ ts: T0 + 3600 * S, src: '192.0.2.200', toleranceSeconds: 2 }], other);
    expect(unknownHost).toMatchObject({ offsetSeconds: 0, matchedAtZero: 1 });
  });

  it('never shifts by more than 14 h', () => {
    const r = findClockOffset([{ ts: T0 + 15 * 3600 * S, src: '198.51.100.80', toleranceSeconds: 2 }], minute);
    expect(r).toMatchObject({ offsetSeconds: 0, matched: 0 });
  });
});

describe('findClockOffset: dates off by whole days', () => {
  const quotedAt = (deltaS: number, n = 3) => Array.from({ length: n }, (_, i) => ({ ts: T0 + (10 + 10 * i) * S + deltaS * S, src: '198.51.100.80', dst: '192.0.2.66', toleranceSeconds: 2 }));

  it('finds quoted lines that match to the second three days later than they say', () => {
    expect(findClockOffset(quotedAt(-3 * 86_400), minute)).toMatchObject({ offsetSeconds: -3 * 86_400, daysOff: -3, matched: 3 });
    // With a zone on top: two days and one hour.
    expect(findClockOffset(quotedAt(2 * 86_400 + 3600), minute)).toMatchObject({ offsetSeconds: 2 * 86_400 + 3600, daysOff: 2 });
  });

  it('believes no date shift from one quoted line, from prose times, or beyond a week', () => {
    expect(findClockOffset(quotedAt(-3 * 86_400, 1), minute)).toMatchObject({ offsetSeconds: 0, daysOff: 0 });
    const prose = [1, 2, 3].map((i) => ({ ts: T0 + i * S + 86_400 * S, src: '198.51.100.80', toleranceSeconds: 120 }));
    expect(findClockOffset(prose, minute)).toMatchObject({ offsetSeconds: 0, daysOff: 0 });
    expect(findClockOffset(quotedAt(8 * 86_400), minute)).toMatchObject({ offsetSeconds: 0, daysOff: 0 });
  });

  it('tries no date shift when the lines already match within the day', () => {
    expect(findClockOffset(quotedAt(3600), minute)).toMatchObject({ offsetSeconds: 3600, daysOff: 0 });
  });
});
