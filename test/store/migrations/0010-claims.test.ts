import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../store/database';
import { migrate } from '../../../store/migrations/index';
import { tempDir } from '../helpers';

const CASE = `INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text)
  VALUES (?, 1, 2, 1, 'analysed', ?, 'c.eml', x'00', '{}', '')`;

async function at(version: number, fill: (db: Database) => Promise<void>, check: (db: Database) => Promise<void>): Promise<void> {
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

describe('migration 0010-claims', () => {
  it('adds one claim per case, with a positive idle time, gone with the case; the cases are untouched', async () => {
    await at(10, async (db) => { await db.run(CASE, [1, 'a'.repeat(64)]); }, async (db) => {
      expect(await db.get('SELECT count(*) AS n FROM cases')).toEqual({ n: 1 });
      await db.run("INSERT INTO claims (case_id, operator, claimed_at, last_seen_at, idle_ms) VALUES (1, 'ana', 1, 1, 900000)");
      await expect(db.run("INSERT INTO claims (case_id, operator, claimed_at, last_seen_at, idle_ms) VALUES (1, 'bo', 2, 2, 900000)")).rejects.toThrow(/UNIQUE|PRIMARY/);
      await db.run('DELETE FROM claims');
      await expect(db.run("INSERT INTO claims (case_id, operator, claimed_at, last_seen_at, idle_ms) VALUES (1, 'bo', 2, 2, 0)")).rejects.toThrow(/CHECK/);
      await expect(db.run("INSERT INTO claims (case_id, operator, claimed_at, last_seen_at, idle_ms) VALUES (99, 'bo', 2, 2, 1)")).rejects.toThrow(/FOREIGN KEY/);
    });
  });
});
