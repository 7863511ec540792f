import { describe, expect, it } from 'vitest';
import { formatInZone, fractionToMicros, monthNumber, parseZone, referenceZone, resolveLocalTime, zoneLabel, zoneOffsetMinutes } from '../../../analysis/util/time';

describe('times and zones', () => {
  it('reads zones as complaints write them: abbreviations, offsets, IANA names', () => {
    const at = Date.UTC(2026, 0, 15);
    expect(zoneOffsetMinutes(parseZone('CET')!, at)).toBe(60);
    expect(zoneOffsetMinutes(parseZone('+05:30')!, at)).toBe(330);
    expect(zoneOffsetMinutes(parseZone('Europe/Berlin')!, Date.UTC(2026, 6, 15))).toBe(120);
    expect(parseZone('Mars/Olympus')).toBeNull();
    expect(zoneLabel(parseZone('UTC')!)).toBe('UTC');
  });

  it('a year-less time takes the year that puts it nearest the reference: a December log read in January is last year\'s', () => {
    const ref = { nearMs: Date.UTC(2026, 0, 5), zone: 'UTC' };
    const dec = resolveLocalTime({ month: 12, day: 31, hour: 23, minute: 0, second: 0 }, ref);
    expect([new Date(dec.ts / 1000).toISOString(), dec.inferred]).toEqual(['2025-12-31T23:00:00.000Z', true]);
    const timeOnly = resolveLocalTime({ hour: 6, minute: 30, second: 1, micros: 250 }, ref);
    expect(timeOnly.ts).toBe(Date.UTC(2026, 0, 5, 6, 30, 1) * 1000 + 250);
    const exact = resolveLocalTime({ year: 2024, month: 2, day: 29, hour: 12, minute: 0, second: 0 }, ref, parseZone('+01:00'));
    expect([exact.ts, exact.inferred]).toEqual([Date.UTC(2024, 1, 29, 11) * 1000, false]);
    expect(Number.isNaN(resolveLocalTime({ year: 2025, month: 2, day: 30, hour: 0, minute: 0, second: 0 }, ref, parseZone('UTC')).ts)).toBe(true);
  });

  it('a reference no date can stand for (a corrupt capture timestamp, year 45 billion) counts as none: the time is placed by today, nothing throws', () => {
    const ref = { nearMs: 1.4181453699883102e21, zone: 'UTC' };
    const jan = resolveLocalTime({ month: 1, day: 19, hour: 12, minute: 13, second: 25 }, ref);
    const year = new Date(jan.ts / 1000).getUTCFullYear();
    expect(Math.abs(year - new Date().getUTCFullYear())).toBeLessThanOrEqual(1);
    expect(resolveLocalTime({ hour: 6, minute: 30, second: 1 }, { nearMs: -Infinity, zone: 'UTC' }).ts).toBeGreaterThan(0);
  });

  it('formats an instant in a zone, and reads months and fractions', () => {
    expect(formatInZone(Date.UTC(2025, 11, 18, 0, 40, 1) * 1000, parseZone('+01:00')!)).toBe('2025-12-18 01:40:01 UTC+01:00');
    expect([monthNumber('March'), monthNumber('dec'), monthNumber('Foo')]).toEqual([3, 12, undefined]);
    expect([fractionToMicros('5'), fractionToMicros('123456789'), fractionToMicros(undefined)]).toEqual([500000, 123456, 0]);
    expect(zoneLabel(referenceZone(undefined))).toBe('UTC');
  });
});
