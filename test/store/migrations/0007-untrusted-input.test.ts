import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { migrate, schemaVersion } from '../../../store/migrations/index';
import { tempDir } from '../helpers';

describe('migration 0007-untrusted-input', () => {
  it('adds the quarantine and the imported history to a database holding a case, one quarantine row per message', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      await migrate(db, 6);
      await db.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text)
        VALUES (1, 1, 1, 1, 'new', ?, 'c.txt', x'00', '{}', 'text')`, ['a'.repeat(64)]);
      expect(await migrate(db, 7)).toEqual([7]);
      expect(await schemaVersion(db)).toBe(7);
      const q = `INSERT INTO quarantine (raw_sha256, raw, size, source_kind, source_location, source_name, error, quarantined_at)
        VALUES (?, x'41', 1, 'imap', 'acct/INBOX', 'INBOX UID 3', 'too big', 5)`;
      await db.run(q, ['b'.repeat(64)]);
      await expect(db.run(q, ['b'.repeat(64)])).rejects.toThrow(/UNIQUE/);
      await db.run("INSERT INTO imported_history (case_id, bundle, imported_at, at, action, detail) VALUES (1, 'b.tar', 9, 1, 'created', 'x')");
      await expect(db.run("INSERT INTO imported_history (case_id, bundle, imported_at, at, action, detail) VALUES (2, 'b.tar', 9, 1, 'created', 'x')")).rejects.toThrow(/FOREIGN KEY/);
      await db.run('DELETE FROM cases WHERE id = 1');
      expect(await db.get('SELECT count(*) AS n FROM imported_history')).toEqual({ n: 0 });
    } finally {
      await db.close();
      await cleanup();
    }
  });
});
