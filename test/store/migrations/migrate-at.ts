/**
 * The shape of a migration test with rows in it: a database at the step
 * before `version`, filled as an older app left it, migrated by exactly that
 * step, then checked.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { Database } from '../../../store/database';
import { migrate } from '../../../store/migrations/index';
import { tempDir } from '../helpers';

/** A minimal case row with the columns every schema version has (id and fingerprint as parameters). */
export const CASE = `INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text)
  VALUES (?, 1, 2, 1, 'analysed', ?, 'c.eml', x'00', '{}', '')`;

export async function at(version: number, fill: (db: Database) => Promise<void>, check: (db: Database) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  const db = await Database.open(join(dir, 'cases.sqlite'));
  try {
    await migrate(db, version - 1);
    await db.transaction(async (tx) => fill(tx as unknown as Database));
    expect(await migrate(db, version)).toEqual([version]);
    await check(db);
  } finally {
    await db.close();
    await cleanup();
  }
}
