/**
 * Shared intake on SQLite: two apps on one data folder fetch one mailbox
 * (the fake IMAP server): one fetches at a time, each message once
 * (the scenario is shared-intake.ts; on PostgreSQL: shared-intake.slow.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { sharedIntakeScenario } from './shared-intake';

describe('shared intake on one SQLite store', () => {
  it('two apps fetching one mailbox: one fetches for the desk, the other is told which; every message imported once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ad-shared-intake-'));
    try {
      await sharedIntakeScenario(join(dir, 'store'), dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
