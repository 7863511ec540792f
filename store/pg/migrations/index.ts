/**
 * The PostgreSQL migration runner. Every app of the desk runs it when it
 * opens the store; the first takes a transaction-scoped advisory lock, the
 * others wait on it, and each step runs with its row in schema_migrations in
 * that one transaction: three apps starting together apply each step once,
 * and a failed step leaves the schema as it was.
 */
import { StoreError } from '../../errors';
import type { PgDatabase } from '../pg-database';
import { pgMigration0001 } from './0001-cases';
import { pgMigration0002 } from './0002-search-blobs';
import { pgMigration0003 } from './0003-operators';
import { pgMigration0004 } from './0004-claims';
import { pgMigration0005 } from './0005-notify';
import { pgMigration0006 } from './0006-leases';
import { pgMigration0007 } from './0007-reply-templates';
import type { PgMigration } from './migration';

export const PG_MIGRATIONS: readonly PgMigration[] = [pgMigration0001, pgMigration0002, pgMigration0003, pgMigration0004, pgMigration0005, pgMigration0006, pgMigration0007];

/** pg_advisory_xact_lock key of the migration lock ("abdkmigr" as a 64-bit number). */
export const MIGRATION_LOCK_KEY = '7017281581956556658';

/** Bring the schema up to date; returns the versions this call applied (none when another app did). */
export async function migratePg(db: PgDatabase, appliedBy: string, now: () => number = Date.now): Promise<number[]> {
  return db.withClient(async (c) => {
    await c.exec('BEGIN');
    try {
      await c.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
      await c.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL, applied_by TEXT NOT NULL)`);
      const row = await c.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      const current = row?.v ?? 0;
      const latest = PG_MIGRATIONS.at(-1)!.version;
      if (current > latest) {
        throw new StoreError('too_new', `The shared case database ${db.file} was written by a newer Abuse Desk (schema ${current}, this one knows up to ${latest}). Update Abuse Desk to open it.`);
      }
      const applied: number[] = [];
      for (const m of PG_MIGRATIONS.filter((x) => x.version > current)) {
        await c.exec(m.sql);
        await c.run('INSERT INTO schema_migrations (version, name, applied_at, applied_by) VALUES (?, ?, ?, ?)', [m.version, m.name, now(), appliedBy]);
        applied.push(m.version);
      }
      await c.exec('COMMIT');
      return applied;
    } catch (e) {
      await c.exec('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
}
