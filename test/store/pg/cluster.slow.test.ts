/**
 * The throw-away cluster the PostgreSQL tests run on (test/helpers/postgres.ts):
 * it listens on 127.0.0.1 only, each database is separate, and stop() leaves
 * nothing behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTitle, postgresBin, postgresSkip, startPostgres, type PgCluster } from '../../helpers/postgres';

function psql(url: string, sql: string): string {
  const r = spawnSync(join(postgresBin()!, 'psql'), [url, '-At', '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe.skipIf(!!postgresSkip)(pgTitle('throw-away PostgreSQL cluster'), () => {
  let cluster: PgCluster;
  beforeAll(async () => { cluster = await startPostgres(); });
  afterAll(() => cluster?.stop());

  it('serves separate databases on 127.0.0.1 at its own port', () => {
    const a = cluster.createDatabase();
    const b = cluster.createDatabase();
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^postgres://desk@127\\.0\\.0\\.1:${cluster.port}/`));
    psql(a, 'CREATE TABLE only_in_a (x int)');
    expect(psql(a, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'")).toBe('1');
    expect(psql(b, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'")).toBe('0');
    expect(psql(a, "SHOW listen_addresses")).toBe('127.0.0.1');
  });

  it('stop() shuts the server down and removes its folder', async () => {
    const other = await startPostgres();
    const url = other.createDatabase();
    expect(psql(url, 'SELECT 1')).toBe('1');
    other.stop();
    expect(existsSync(other.dir)).toBe(false);
    expect(() => psql(url, 'SELECT 1')).toThrow();
    other.stop(); // twice is harmless
  });
});
