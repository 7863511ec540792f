import { describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError } from '../../cli/usage';
import { cli } from './cli-runner';

describe('usage errors', () => {
  it('an unknown option or a missing value is a UsageError, which every command answers with exit status 2', async () => {
    const options = { near: { type: 'string' as const } };
    expect(parseCommandArgs({ args: ['--near', '2026-01-01'], options }).values.near).toBe('2026-01-01');
    expect(() => parseCommandArgs({ args: ['--far'], options })).toThrow(UsageError);
    expect(() => parseCommandArgs({ args: ['--near'], options })).toThrow(UsageError);
    for (const args of [['inspect', '--bogus'], ['queue', '--limit'], ['triage', '--frobnicate']]) {
      const r = await cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^abuse-desk/);
    }
  });
});
