/**
 * The two backends the behaviour suite runs on: SQLite in a temporary data
 * folder and PostgreSQL in a database of a throw-away cluster
 * (test/helpers/postgres.ts). `location()` gives a fresh, empty store each
 * call: a folder, or a new database's URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { CaseStore, type CaseStoreOptions } from '../../../store/case-store';
import { postgresSkip, startPostgres, type PgCluster } from '../../helpers/postgres';

export type BackendName = 'sqlite' | 'postgres';

export interface Backends {
  /** A new empty store location for the backend. */
  location(name: BackendName): Promise<string>;
  open(location: string, opts?: CaseStoreOptions): Promise<CaseStore>;
  cluster(): PgCluster;
}

/** Start the cluster for the file, remove every folder and the cluster after it. */
export function useBackends(): Backends {
  let cluster: PgCluster | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    if (!postgresSkip) cluster = await startPostgres();
  });
  afterAll(async () => {
    cluster?.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  return {
    async location(name) {
      if (name === 'postgres') return cluster!.createDatabase();
      const d = await mkdtemp(join(tmpdir(), 'ad-behaviour-'));
      dirs.push(d);
      return join(d, 'data');
    },
    open: (location, opts) => CaseStore.open(location, opts),
    cluster: () => cluster!,
  };
}

/** A clock that moves one second per reading, so two runs of the same operations see the same times. */
export function steppingClock(start = Date.parse('2026-03-01T09:00:00Z')): () => number {
  let t = start;
  return () => (t += 1000);
}
