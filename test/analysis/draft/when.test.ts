import { describe, expect, it } from 'vitest';
import type { ComplaintTime } from '../../../analysis/complaint/complaint';
import { complaintWhen } from '../../../analysis/draft/when';

/** A complaint time at a UTC instant (ms), as the complaint parser hands it over. */
const at = (utcMs: number, text: string, zone: string, zoneAssumed = false): ComplaintTime => ({ ts: utcMs * 1000, text, zone, zoneAssumed });

describe('the complaint time as the reply gives it back', () => {
  it('UTC to the minute, then the time of day in the zone as they named it', () => {
    expect(complaintWhen([at(Date.UTC(2026, 2, 14, 2, 10, 0), '2026-03-14 03:10 CET', 'UTC+01:00')])).toBe('2026-03-14 02:10 UTC (03:10 CET)');
    expect(complaintWhen([at(Date.UTC(2026, 2, 14, 2, 10, 0), 'at 03:10 CET', 'UTC+01:00', true)])).toBe('2026-03-14 02:10 UTC (03:10 CET)');
  });

  it('a time written without a zone name gets the applied zone\'s label, never the raw text', () => {
    const w = complaintWhen([at(Date.UTC(2026, 2, 14, 2, 10, 0), '03/14-03:10:00.000000', 'UTC+01:00', true)]);
    expect(w).toBe('2026-03-14 02:10 UTC (03:10 UTC+01:00)');
    expect(w).not.toContain('03/14');
  });

  it('UTC alone when the complainant writes in UTC', () => {
    expect(complaintWhen([at(Date.UTC(2025, 11, 18, 0, 40, 0), '2025-12-18 00:40 UTC', 'UTC')])).toBe('2025-12-18 00:40 UTC');
  });

  it('the local date when it is another day than in UTC', () => {
    expect(complaintWhen([at(Date.UTC(2026, 2, 13, 23, 30, 0), '2026-03-14 00:30 CET', 'UTC+01:00')])).toBe('2026-03-13 23:30 UTC (2026-03-14 00:30 CET)');
    expect(complaintWhen([at(Date.UTC(2026, 2, 14, 3, 0, 0), '2026-03-13 22:00 EST', 'UTC-05:00')])).toBe('2026-03-14 03:00 UTC (2026-03-13 22:00 EST)');
  });

  it('a span from the earliest to the latest time, in either order, and IANA zones by name', () => {
    const berlin = [
      at(Date.UTC(2026, 2, 14, 2, 40, 0), '2026-03-14 03:40 Europe/Berlin', 'Europe/Berlin'),
      at(Date.UTC(2026, 2, 14, 2, 10, 0), '2026-03-14 03:10 Europe/Berlin', 'Europe/Berlin'),
    ];
    expect(complaintWhen(berlin)).toBe('2026-03-14 02:10 to 02:40 UTC (03:10 to 03:40 Europe/Berlin)');
    // Summer time: the same zone is two hours ahead.
    expect(complaintWhen([at(Date.UTC(2026, 6, 1, 8, 0, 0), '2026-07-01 10:00 Europe/Berlin', 'Europe/Berlin')])).toBe('2026-07-01 08:00 UTC (10:00 Europe/Berlin)');
  });

  it('nothing without a usable time', () => {
    expect(complaintWhen([])).toBeUndefined();
    expect(complaintWhen([{ ts: Number.NaN, text: 'yesterday', zone: 'UTC', zoneAssumed: true }])).toBeUndefined();
  });
});
