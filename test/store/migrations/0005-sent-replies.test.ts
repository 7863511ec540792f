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

describe('migration 0005-sent-replies', () => {
  it('keeps a sent reply with its case: one row per Message-ID, recipients as JSON, gone with the case', async () => {
    await at(5, async (db) => { await db.run(CASE, [1, 'a'.repeat(64)]); }, async (db) => {
      const row = [1, '<r1@desk.example>', '["abuse@example.net"]', new Uint8Array([0x41]), 5];
      await db.run('INSERT INTO sent_replies (case_id, message_id, recipients_json, raw, sent_at) VALUES (?, ?, ?, ?, ?)', row);
      await expect(db.run('INSERT INTO sent_replies (case_id, message_id, recipients_json, raw, sent_at) VALUES (?, ?, ?, ?, ?)', row)).rejects.toThrow(/UNIQUE/);
      await expect(db.run('INSERT INTO sent_replies (case_id, message_id, recipients_json, raw, sent_at) VALUES (1, ?, ?, x\'00\', 5)', ['<r2@x>', 'not json'])).rejects.toThrow(/CHECK/);
      await db.run('DELETE FROM cases WHERE id = 1');
      expect(await db.all('SELECT * FROM sent_replies')).toEqual([]);
    });
  });
});
