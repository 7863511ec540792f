/**
 * Back up the whole store: a consistent copy of the database (VACUUM INTO,
 * taken while the store stays usable) and the evidence folder.
 */
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StoreError, toStoreError } from './errors';
import { DATABASE_FILE, EVIDENCE_DIR } from './open';
import type { StoreContext } from './transaction';
import type { BackupResult } from './types';

/** Into `destDir` (created); an existing cases.sqlite there is refused. */
export async function backup(ctx: StoreContext, destDir: string): Promise<BackupResult> {
  // The shared store's evidence is in the database too: one pg_dump holds all of it, consistent.
  if (ctx.db.dialect === 'postgres') {
    throw new StoreError('invalid', `The shared case store ${ctx.dataDir} is backed up on its server (pg_dump), evidence included; nothing was written to ${destDir}.`);
  }
  const dir = resolve(destDir);
  const dbOut = join(dir, DATABASE_FILE);
  const { root } = ctx.vault;
  try {
    await mkdir(dir, { recursive: true });
    if (existsSync(dbOut)) throw new StoreError('invalid', `${dbOut} already exists: choose an empty folder for the backup.`);
    await ctx.db.run('VACUUM INTO ?', [dbOut]);
    await cp(root, join(dir, EVIDENCE_DIR), { recursive: true, filter: (src) => !src.startsWith(join(root, 'tmp')) });
    let files = 0;
    let bytes = (await stat(dbOut)).size;
    const evDir = join(dir, EVIDENCE_DIR);
    for (const sub of await readdir(evDir)) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const f of await readdir(join(evDir, sub))) {
        files++;
        bytes += (await stat(join(evDir, sub, f))).size;
      }
    }
    return { databasePath: dbOut, evidenceFiles: files, bytes };
  } catch (e) {
    throw toStoreError(e, dir);
  }
}
