import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { migrate, schemaVersion } from '../../../store/migrations/index';
import { tempDir } from '../helpers';

describe('migration 0012-reply-templates', () => {
  it('adds the templates table to a store holding cases, and a reset row keeps no text', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      await migrate(db, 11);
      await db.transaction(async (tx) => {
        await tx.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text)
          VALUES (1, 1, 2, 1, 'analysed', ?, 'c.eml', x'00', '{}', '')`, ['a'.repeat(64)]);
      });
      expect(await migrate(db, 12)).toEqual([12]);
      expect(await schemaVersion(db)).toBe(12);
      expect(await db.get('SELECT count(*) AS n FROM cases')).toEqual({ n: 1 });
      await db.transaction(async (tx) => {
        await tx.run("INSERT INTO reply_templates VALUES ('network-abuse', 'backscatter', 'Re: {subject}', 'Hello', 1, 5, 'alice')");
        await tx.run("INSERT INTO reply_templates VALUES ('spam', 'compromise', NULL, NULL, 2, 6, 'bob')");
      });
      expect(await db.all('SELECT report_class, body, version FROM reply_templates ORDER BY version')).toEqual([
        { report_class: 'network-abuse', body: 'Hello', version: 1 }, { report_class: 'spam', body: null, version: 2 },
      ]);
      // A subject without a body (or the reverse) and a second row for one key are refused.
      await expect(db.transaction((tx) => tx.run("INSERT INTO reply_templates VALUES ('spam', 'legitimate', 'x', NULL, 1, 7, 'bob')"))).rejects.toThrow(/CHECK/);
      await expect(db.transaction((tx) => tx.run("INSERT INTO reply_templates VALUES ('spam', 'compromise', 'x', 'y', 1, 7, 'bob')"))).rejects.toThrow(/UNIQUE/);
    } finally {
      await db.close();
      await cleanup();
    }
  });
});
