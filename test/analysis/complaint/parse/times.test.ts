import { FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ComplaintTime } from '../../../../analysis/complaint/complaint';
import { emptyFacts } from '../../../../analysis/complaint/facts';
import { chooseZone, complaintTimes } from '../../../../analysis/complaint/parse/times';
import { zoneLabel } from '../../../../analysis/util/time';

const nearMs = Date.UTC(2026, 1, 2);
const base = { pasted: false, structuredBody: false, reports: [], nearMs };

describe('complaint times and zone', () => {
  it('reads the subject and the body; a stated zone wins over the Date: header', () => {
    const r = complaintTimes({ ...base, subject: 'scan at 2026-02-01 10:00:00', bodyText: 'All times are CET.\nagain 2026-02-01 11:00:00', dateHeader: 'Mon, 2 Feb 2026 09:00:00 +0000' });
    expect(r.times.map((t) => t.ts)).toEqual([Date.UTC(2026, 1, 1, 9) * 1000, Date.UTC(2026, 1, 1, 10) * 1000]);
    expect(zoneLabel(r.zone)).toBe('UTC+01:00');
  });

  it('a pasted Date: line is the mail\'s date, not an incident time; a structured body is not read as prose', () => {
    const body = 'Date: 2 Feb 2026 10:00:00 +0000\n\nnothing else';
    expect(complaintTimes({ ...base, bodyText: body, pasted: true }).times).toEqual([]);
    expect(complaintTimes({ ...base, bodyText: body, pasted: false }).times).toHaveLength(1);
    expect(complaintTimes({ ...base, bodyText: 'ts\n2026-02-01 10:00:00', structuredBody: true }).times).toEqual([]);
  });

  it('a report\'s time in its format\'s zone replaces the same text read with an assumed zone', () => {
    const report = { ...emptyFacts('csv'), times: [{ text: '2026-02-01 10:00:00', zone: 'UTC' }] };
    const r = complaintTimes({ ...base, bodyText: 'seen 2026-02-01 10:00:00', dateHeader: 'Mon, 2 Feb 2026 09:00:00 +0100', reports: [report] });
    expect(r.times).toHaveLength(1);
    expect(r.times[0]).toMatchObject({ ts: Date.UTC(2026, 1, 1, 10) * 1000 });
    expect(r.times[0].zoneAssumed).toBeFalsy();
  });

  it('chooseZone: stated, else the header, else the zone most times are written in, else UTC', () => {
    const t = (zone: string, zoneAssumed = false): ComplaintTime => ({ text: 'x', ts: 0, zone, zoneAssumed });
    const cet = FixedOffsetZone.instance(60);
    expect(chooseZone(cet, FixedOffsetZone.instance(120), [])).toBe(cet);
    expect(zoneLabel(chooseZone('local', FixedOffsetZone.instance(120), []))).toBe('UTC+02:00');
    expect(zoneLabel(chooseZone(undefined, null, [t('UTC+05:00'), t('UTC+05:00'), t('UTC-03:00')]))).toBe('UTC+05:00');
    expect(zoneLabel(chooseZone(undefined, null, [t('UTC+05:00', true)]))).toBe('UTC');
  });
});
