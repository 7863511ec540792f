import { afterEach, describe, expect, it } from 'vitest';
import { readPassword } from '../../../cli/io/password';

describe('the IMAP password', () => {
  afterEach(() => { delete process.env.ABUSE_DESK_TEST_PW; });

  it('comes from the named environment variable, or nothing when it is unset', async () => {
    process.env.ABUSE_DESK_TEST_PW = 's3cret with spaces';
    expect(await readPassword('ABUSE_DESK_TEST_PW', 'Password: ')).toBe('s3cret with spaces');
    delete process.env.ABUSE_DESK_TEST_PW;
    expect(await readPassword('ABUSE_DESK_TEST_PW', 'Password: ')).toBeNull();
  });

  it('is never read from a standard input that is not a terminal (a pipe could be anything)', async () => {
    expect(process.stdin.isTTY).toBeFalsy();
    expect(await readPassword(undefined, 'Password: ')).toBeNull();
  });
});
