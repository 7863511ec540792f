import { describe, expect, it } from 'vitest';
import { at, CASE } from './migrate-at';

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
