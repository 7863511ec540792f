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

describe('migration 0011-leases', () => {
  it('adds one lease per name, with its holder and expiry, beside the cases it leaves alone', async () => {
    await at(11, async (db) => { await db.run(CASE, [1, 'a'.repeat(64)]); }, async (db) => {
      expect(await db.get('SELECT count(*) AS n FROM cases')).toEqual({ n: 1 });
      await db.run("INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES ('imap:inbox', 'app-1', 1, 61)");
      await expect(db.run("INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES ('imap:inbox', 'app-2', 2, 62)")).rejects.toThrow(/UNIQUE|PRIMARY/);
      expect(await db.all('SELECT name, holder, expires_at FROM leases')).toEqual([{ name: 'imap:inbox', holder: 'app-1', expires_at: 61 }]);
    });
  });
});
