import { describe, expect, it } from 'vitest';
import { complaintDateMs } from '../../../analysis/complaint/complaint-date';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (iso: string) => ({ ts: Date.parse(iso) * 1000, text: iso, zone: 'UTC', zoneAssumed: false });

describe('complaintDateMs', () => {
  it('the Date header first, else the latest stated time, else nothing', () => {
    expect(complaintDateMs({ dateMs: 5, times: [at('2025-01-01T00:00:00Z')] }, NOW)).toBe(5);
    expect(complaintDateMs({ times: [at('2025-01-01T00:00:00Z'), at('2025-01-03T00:00:00Z'), at('2025-01-02T00:00:00Z')] }, NOW)).toBe(Date.parse('2025-01-03T00:00:00Z'));
    expect(complaintDateMs({ times: [] }, NOW)).toBeUndefined();
  });

  it('a time in the future (a guessed year) is no date; a zone\'s hours ahead still are', () => {
    expect(complaintDateMs({ times: [at('2026-12-01T00:00:00Z')] }, NOW)).toBeUndefined();
    expect(complaintDateMs({ times: [at('2026-03-01T20:00:00Z')] }, NOW)).toBe(Date.parse('2026-03-01T20:00:00Z'));
  });

  it('quoted log lines count as stated times', () => {
    const quoted = [{ ts: Date.parse('2025-06-01T10:00:00Z') * 1000 }] as never;
    expect(complaintDateMs({ times: [at('2025-05-01T00:00:00Z')], quotedEvents: quoted }, NOW)).toBe(Date.parse('2025-06-01T10:00:00Z'));
  });
});
