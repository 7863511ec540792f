import { describe, expect, it } from 'vitest';
import { at, CASE } from './migrate-at';

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
