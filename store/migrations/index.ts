/**
 * The migration runner: PRAGMA user_version holds the number of the last step
 * applied; each newer step runs in its own transaction with the version bump.
 */
import type { Database } from '../database';
import { StoreError } from '../errors';
import { migration0001 } from './0001-init';
import { migration0002 } from './0002-search';
import { migration0003 } from './0003-intake';
import { migration0004 } from './0004-repeats';
import { migration0005 } from './0005-sent-replies';
import { migration0006 } from './0006-evidence-membership';
import { migration0007 } from './0007-untrusted-input';
import { migration0008 } from './0008-report-class';
import { migration0009 } from './0009-operators';
import { migration0010 } from './0010-claims';
import { migration0011 } from './0011-leases';
import { migration0012 } from './0012-reply-templates';
import type { Migration } from './migration';

export type { Migration };

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export async function schemaVersion(db: Database): Promise<number> {
  return (await db.get<{ user_version: number }>('PRAGMA user_version'))!.user_version;
}

/**
 * Bring the database up to `target` (default: the latest). Returns the
 * versions applied. A database from a newer Abuse Desk is refused, not touched.
 */
export async function migrate(db: Database, target = LATEST_VERSION, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const current = await schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new StoreError('too_new', `The case database ${db.file} was written by a newer Abuse Desk (schema ${current}, this one knows up to ${latest}). Update Abuse Desk to open it.`);
  }
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length && db.readOnly) {
    throw new StoreError('read_only', `The case database ${db.file} needs upgrading (schema ${current} → ${target}) but it is read-only.`);
  }
  const applied: number[] = [];
  for (const m of pending) {
    await db.transaction(async (tx) => {
      // Another process opening the same folder may have applied it while we waited for the write lock.
      if ((await schemaVersion(tx)) >= m.version) return;
      await m.up(tx);
      await tx.exec(`PRAGMA user_version = ${m.version}`);
      applied.push(m.version);
    });
  }
  return applied;
}
