import { describe, expect, it } from 'vitest';
import { at, CASE } from './migrate-at';

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
