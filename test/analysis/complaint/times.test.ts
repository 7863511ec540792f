import { FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dateHeaderZone, extractTimes, findZoneStatement, parseDateHeader, type TimeContext } from '../../../analysis/complaint/times';

const iso = (us: number): string => new Date(us / 1000).toISOString();
const utcCtx = (nearMs = Date.UTC(2025, 11, 20)): TimeContext => ({ nearMs, headerZone: null, statement: null });

describe('extractTimes', () => {
  it('reads "2025-12-18 00:40 UTC" exactly', () => {
    const [t] = extractTimes('scanned, starting 2025-12-18 00:40 UTC. Please', utcCtx());
    expect(t).toMatchObject({ text: '2025-12-18 00:40 UTC', zone: 'UTC', zoneAssumed: false });
    expect(iso(t.ts)).toBe('2025-12-18T00:40:00.000Z');
  });

  it('applies abbreviations and offsets written next to the time', () => {
    const ts = extractTimes('at 18 Dec 2025 01:40 CET, then Thu, 18 Dec 2025 09:12:44 +0100 and 2025-12-18T05:00:00-05:00 and 2025-12-18 03:00 UTC+1 and 17 Dec 2025 19:40 EST', utcCtx());
    expect(ts.map((t) => iso(t.ts))).toEqual([
      '2025-12-18T00:40:00.000Z', '2025-12-18T08:12:44.000Z', '2025-12-18T10:00:00.000Z', '2025-12-18T02:00:00.000Z', '2025-12-18T00:40:00.000Z',
    ]);
    expect(ts[0].zone).toBe('UTC+01:00');
    expect(ts.every((t) => !t.zoneAssumed)).toBe(true);
  });

  it('does not read "ssh2" at the end of one log line and the next line\'s date as a year', () => {
    const ts = extractTimes('Failed password for root from 192.0.2.7 port 22 ssh2\nJan 14 07:12:03 host sshd[1]: x', utcCtx(Date.UTC(2026, 1, 1)));
    expect(ts.map((t) => [t.text, iso(t.ts)])).toEqual([['Jan 14 07:12:03', '2026-01-14T07:12:03.000Z']]);
  });

  it('reads "on 2026-03-03 at 16:00 UTC" and "3 Mar 2026 at 16:00 UTC"', () => {
    const ts = extractTimes('scanned on 2026-03-03 at 16:00 UTC, again 3 Mar 2026 at 17:00 UTC', utcCtx());
    expect(ts.map((t) => iso(t.ts))).toEqual(['2026-03-03T16:00:00.000Z', '2026-03-03T17:00:00.000Z']);
  });

  it('reads GMT-5 and ISO Z with fractions', () => {
    const ts = extractTimes('2025-12-17 19:40:00 GMT-5 / 2025-12-18T00:40:00.250Z', utcCtx());
    expect(ts.map((t) => iso(t.ts))).toEqual(['2025-12-18T00:40:00.000Z', '2025-12-18T00:40:00.250Z']);
  });

  it('resolves year-less syslog and snort times against the reference, in the past', () => {
    const near = Date.UTC(2026, 1, 2, 8, 0);
    const [a, b] = extractTimes('Feb  1 23:00:01 fw snort[1]: x\n02/01-23:00:02.500000 [**]', utcCtx(near));
    expect(iso(a.ts)).toBe('2026-02-01T23:00:01.000Z');
    expect(a.zoneAssumed).toBe(true);
    expect(iso(b.ts)).toBe('2026-02-01T23:00:02.500Z');
    // Read in November, "Feb 1" is the February before, not the next one.
    const [c] = extractTimes('Feb  1 23:00:01', utcCtx(Date.UTC(2026, 10, 22)));
    expect(iso(c.ts)).toBe('2026-02-01T23:00:01.000Z');
    // A December log read in early January belongs to last year.
    const [d] = extractTimes('Dec 31 23:59:59', utcCtx(Date.UTC(2026, 0, 2)));
    expect(iso(d.ts)).toBe('2025-12-31T23:59:59.000Z');
  });

  it('dates a time of day alone ("at 03:10 CET") to the latest such moment not after the reference, marked assumed', () => {
    // Mail sent 2025-12-18 09:00 UTC: "at 03:10 CET" is that morning, 02:10 UTC.
    const [a] = extractTimes('port scan from 198.51.100.80 at 03:10 CET', utcCtx(Date.UTC(2025, 11, 18, 9)));
    expect(a).toMatchObject({ text: 'at 03:10 CET', zone: 'UTC+01:00', zoneAssumed: true });
    expect(iso(a.ts)).toBe('2025-12-18T02:10:00.000Z');
    // Sent at 01:00 UTC, an hour of clock slack still leaves 02:10 UTC in the future: it was the day before.
    const [b] = extractTimes('at 03:10 CET', utcCtx(Date.UTC(2025, 11, 18, 1)));
    expect(iso(b.ts)).toBe('2025-12-17T02:10:00.000Z');
    const [c] = extractTimes('seen around 2:15 pm UTC', utcCtx(Date.UTC(2025, 11, 18, 20)));
    expect(iso(c.ts)).toBe('2025-12-18T14:15:00.000Z');
  });

  it('reads a range of times of day with the zone written once at the end as two times', () => {
    const ts = extractTimes('from 12:00 until 12:30 UTC', utcCtx(Date.UTC(2025, 11, 18, 20)));
    expect(ts.map((t) => [t.text, iso(t.ts)])).toEqual([['from 12:00', '2025-12-18T12:00:00.000Z'], ['until 12:30 UTC', '2025-12-18T12:30:00.000Z']]);
  });

  it('takes no time of day from addresses and ports, nor from a bare "12:30" without a word that makes it a time', () => {
    expect(extractTimes('host 10.0.0.1:80 at 10.0.0.2:22, ratio 12:30', utcCtx())).toEqual([]);
  });

  it('takes the zone of the Date: header for zone-less times, marked assumed', () => {
    const ctx: TimeContext = { nearMs: Date.UTC(2025, 11, 15, 15), headerZone: FixedOffsetZone.instance(-300), statement: null };
    const [t] = extractTimes('at 2025-12-14 22:15:00 we saw', ctx);
    expect(iso(t.ts)).toBe('2025-12-15T03:15:00.000Z');
    expect(t).toMatchObject({ zone: 'UTC-05:00', zoneAssumed: true });
  });

  it('applies a stated zone ("all times CET") to zone-less times', () => {
    const statement = findZoneStatement('Note: all times CET.');
    expect(statement).not.toBeNull();
    const [t] = extractTimes('2025-12-18 01:40:00', { ...utcCtx(), statement });
    expect(iso(t.ts)).toBe('2025-12-18T00:40:00.000Z');
    expect(t).toMatchObject({ zone: 'UTC+01:00', zoneAssumed: false });
    expect(findZoneStatement('Times are local.')?.zone).toBe('local');
    expect(findZoneStatement('timezone: Europe/Berlin')?.zone).toMatchObject({ name: 'Europe/Berlin' });
    expect(findZoneStatement('nothing to see')).toBeNull();
  });

  it('reads US and apache forms and rejects impossible dates', () => {
    const ts = extractTimes('Tuesday, January 18, 2000 4:58 PM EST; [31/Jan/2014:07:19:02 +0100]; 2025-13-45 25:99', utcCtx());
    expect(ts.map((t) => iso(t.ts))).toEqual(['2000-01-18T21:58:00.000Z', '2014-01-31T06:19:02.000Z']);
  });

  it('does not take words for zones', () => {
    const [t] = extractTimes('2025-12-18 00:40 IDS alert', utcCtx());
    expect(t.text).toBe('2025-12-18 00:40');
    expect(t.zoneAssumed).toBe(true);
  });
});

describe('Date: header helpers', () => {
  it('reads the offset and the instant', () => {
    expect(dateHeaderZone('Mon, 15 Dec 2025 10:00:00 -0500')?.offset(0)).toBe(-300);
    expect(dateHeaderZone('Fri, 31 Jan 2014 07:25:31 +0100 (CET)')?.offset(0)).toBe(60);
    expect(dateHeaderZone('(invalid)')).toBeNull();
    expect(parseDateHeader('Mon, 15 Dec 2025 10:00:00 -0500')).toBe(Date.UTC(2025, 11, 15, 15));
    expect(parseDateHeader('(invalid)')).toBeNaN();
  });
});

describe('slashed dates', () => {
  const ctx = { nearMs: Date.UTC(2026, 3, 10), headerZone: null, statement: null };
  it('reads month first and keeps the day-first reading when both are dates', () => {
    const [t] = extractTimes('seen 03/04/2026 10:00 UTC', ctx);
    expect(new Date(t.ts / 1000).toISOString()).toBe('2026-03-04T10:00:00.000Z');
    expect(new Date(t.swappedTs! / 1000).toISOString()).toBe('2026-04-03T10:00:00.000Z');
  });
  it('reads day first when the first number cannot be a month, and keeps no other reading when there is none', () => {
    const [a] = extractTimes('seen 31/03/2026 10:00', ctx);
    expect(new Date(a.ts / 1000).toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(a.swappedTs).toBeUndefined();
    const [b] = extractTimes('on 12/25/2025 at 3:15 PM EST', ctx);
    expect(new Date(b.ts / 1000).toISOString()).toBe('2025-12-25T20:15:00.000Z');
    expect(b.swappedTs).toBeUndefined();
    const [c] = extractTimes('on 04/04/2026 08:00 UTC', ctx);
    expect(c.swappedTs, 'the same date either way').toBeUndefined();
  });
});
