/**
 * Shared intake on one PostgreSQL database (a throw-away cluster): two apps
 * fetch one mailbox; one fetches for the desk, the other is told which, and
 * every message is imported exactly once (the scenario: shared-intake.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { pgTitle, postgresSkip, startPostgres, type PgCluster } from '../helpers/postgres';
import { sharedIntakeScenario } from './shared-intake';

describe.skipIf(!!postgresSkip)(pgTitle('shared intake on one PostgreSQL database'), () => {
  let cluster: PgCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startPostgres();
    dir = await mkdtemp(join(tmpdir(), 'ad-shared-intake-pg-'));
  });
  afterAll(async () => {
    cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('two apps fetching one mailbox: one fetches for the desk, the other is told which; every message imported once', async () => {
    await sharedIntakeScenario(cluster.createDatabase(), dir);
  });
});
