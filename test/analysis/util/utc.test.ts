import { describe, expect, it } from 'vitest';
import { formatUtc, isoUtc, utcFields, utcMinute, utcStamp } from '../../../analysis/util/utc';

// 2025-12-18 00:40:01.123456 UTC, in microseconds.
const T = Date.UTC(2025, 11, 18, 0, 40, 1, 123) * 1000 + 456;

describe('the one UTC formatter', () => {
  it('fields, stamps at three precisions, the zone-stating form, ISO and the store\'s minutes', () => {
    expect(utcFields(T)).toEqual({ date: '2025-12-18', time: '00:40:01', micros: '123456' });
    expect(utcStamp(T)).toBe('2025-12-18 00:40:01');
    expect(utcStamp(T, 'ms')).toBe('2025-12-18 00:40:01.123');
    expect(utcStamp(T, 'us')).toBe('2025-12-18 00:40:01.123456');
    expect(formatUtc(T)).toBe('2025-12-18 00:40:01 UTC');
    expect(formatUtc(T, true)).toBe('2025-12-18 00:40:01.123456 UTC');
    expect(isoUtc(T)).toBe('2025-12-18T00:40:01Z');
    expect(utcMinute(Math.floor(T / 1000))).toBe('2025-12-18 00:40');
  });

  it('agrees with Date.toISOString on every second of a leap day and at the epoch\'s edges', () => {
    const start = Date.UTC(2024, 1, 29);
    for (let ms = start; ms < start + 86_400_000; ms += 997_001) {
      expect(isoUtc(ms * 1000)).toBe(new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      expect(utcStamp(ms * 1000, 'ms')).toBe(new Date(ms).toISOString().replace('T', ' ').replace('Z', ''));
    }
  });

  it('a time before 1970 floors to the second before, its fraction counted up from there', () => {
    expect(utcStamp(-1, 'us')).toBe('1969-12-31 23:59:59.999999');
    expect(utcStamp(-1_000_001, 'ms')).toBe('1969-12-31 23:59:58.999');
  });

  it('a time that is no instant prints as such instead of throwing', () => {
    expect(formatUtc(Number.NaN)).toBe('Invalid DateTime UTC');
    expect(isoUtc(9e21)).toBe('Invalid DateTime');
    expect(utcStamp(Number.POSITIVE_INFINITY, 'us')).toBe('Invalid DateTime');
  });
});
