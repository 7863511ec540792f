/**
 * Opening a data folder: DATA/cases.sqlite (created and migrated as needed)
 * and DATA/evidence/, or, given a postgres:// URL, the shared store. A folder that cannot be written but holds a database
 * opens read-only, with the reason to show.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { Database } from './database';
import { StoreError, toStoreError } from './errors';
import { EvidenceVault } from './evidence-vault';
import { migrate } from './migrations/index';
import { isPostgresUrl, openPgStore } from './pg/open';
import { collectAbandoned } from './vault-gc';

export const DATABASE_FILE = 'cases.sqlite';
export const EVIDENCE_DIR = 'evidence';

export interface OpenedStore {
  dataDir: string;
  db: Database;
  vault: EvidenceVault;
  /** Set when the store is read-only, saying why. */
  readOnlyReason: string | undefined;
}

export async function openStore(dataDir: string, opts: { readOnly?: boolean; maxPageCount?: number } = {}): Promise<OpenedStore> {
  // A postgres:// URL: the desk's shared store (pg/open.ts); anything else is a data folder.
  if (isPostgresUrl(dataDir)) return openPgStore(dataDir, opts);
  const dir = resolve(dataDir);
  const dbFile = join(dir, DATABASE_FILE);
  const vault = new EvidenceVault(join(dir, EVIDENCE_DIR));
  if (!opts.readOnly) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await vault.init();
      const db = await Database.open(dbFile, { maxPageCount: opts.maxPageCount });
      try {
        await migrate(db);
        // New evidence files of an operation that died before its commit named them.
        await collectAbandoned(db, vault);
      } catch (e) {
        await db.close().catch(() => undefined);
        throw e;
      }
      return { dataDir: dir, db, vault, readOnlyReason: undefined };
    } catch (e) {
      const err = toStoreError(e, dir);
      if (err.code !== 'read_only' || !existsSync(dbFile)) throw err;
      const reason = `The case store in ${dir} is read-only (${(err.cause as { code?: string } | undefined)?.code ?? 'not writable'}): cases can be read but not saved or changed. Nothing was lost from the screen.`;
      return { dataDir: dir, db: await openReadOnly(dbFile), vault, readOnlyReason: reason };
    }
  }
  if (!existsSync(dbFile)) throw new StoreError('not_found', `There is no case store in ${dir}.`);
  return { dataDir: dir, db: await openReadOnly(dbFile), vault, readOnlyReason: `The case store in ${dir} was opened read-only.` };
}

/**
 * Open for reading: normally (sees other writers' commits), else, when SQLite
 * cannot even create the WAL index in a read-only folder, as immutable.
 */
async function openReadOnly(dbFile: string): Promise<Database> {
  for (const immutable of [false, true]) {
    let db: Database | undefined;
    try {
      db = await Database.open(dbFile, { readOnly: true, immutable });
      await migrate(db);
      return db;
    } catch (e) {
      await db?.close().catch(() => undefined);
      const err = toStoreError(e, dbFile);
      if (immutable || err.code !== 'read_only') throw err;
    }
  }
  throw new StoreError('read_only', `Cannot open ${dbFile}.`);
}

/** For tests and tools that want a throwaway folder. */
export async function makeTempDataDir(prefix = 'abuse-desk-store-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Remove a folder made by makeTempDataDir. */
export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
