import { describe, expect, it } from 'vitest';
import { timeReference } from '../../../cli/commands/reference';
import { UsageError } from '../../../cli/usage';

describe('--near and --zone', () => {
  it('read a date and a zone, default UTC, and refuse what they cannot read as usage errors naming the flag', () => {
    expect(timeReference('2025-12-18T00:40:00Z', 'CET')).toEqual({ nearMs: Date.UTC(2025, 11, 18, 0, 40), zone: 'CET' });
    expect(timeReference('2025-12-18', undefined).zone).toBe('UTC');
    expect(Math.abs(timeReference(undefined, undefined).nearMs - Date.now())).toBeLessThan(5000);
    expect(() => timeReference('yesterday-ish', undefined)).toThrow(new UsageError('--near: cannot read "yesterday-ish" as a date'));
    expect(() => timeReference(undefined, 'Mars/Olympus')).toThrow(UsageError);
  });
});
