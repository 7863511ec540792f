/**
 * Opening the shared case store on PostgreSQL: a pool on the URL, the schema
 * brought up to date (pg/migrations, once for the whole desk), the evidence
 * kept in the database. The URL's password never appears in messages.
 */
import { hostname } from 'node:os';
import type { Db } from '../db';
import type { EvidenceVault } from '../evidence-vault';
import { migratePg } from './migrations/index';
import { PgDatabase } from './pg-database';
import { PgVault } from './pg-vault';

/** postgres:// or postgresql:// (what `--store` and CaseStore.open accept for the shared store). */
export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

/** What open.ts's openStore returns (said again here: open.ts imports this module). */
export interface OpenedPgStore {
  dataDir: string;
  db: Db;
  vault: EvidenceVault;
  readOnlyReason: string | undefined;
}

export async function openPgStore(url: string, opts: { readOnly?: boolean; poolSize?: number } = {}): Promise<OpenedPgStore> {
  const db = PgDatabase.connect(url, { max: opts.poolSize });
  try {
    await migratePg(db, `${hostname()} pid ${process.pid}`);
    const vault = new PgVault(db, db.file);
    await vault.init();
    const readOnlyReason = opts.readOnly ? `The shared case store ${db.file} was opened read-only.` : undefined;
    return { dataDir: db.file, db, vault, readOnlyReason };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
