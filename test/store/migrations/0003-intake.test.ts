import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion } from '../../../store/migrations/index';
import { CaseStore } from '../../../store/case-store';
import { tempDir } from '../helpers';

describe('migration 0003-intake', () => {
  it('adds messages, IMAP cursors and the queue rank, and ranks the cases already stored', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      await migrate(db, 2);
      await db.transaction(async (tx) => {
        const rows = [
          [1, '198.51.100.10', 'compromise', 'open', 'worm'],
          [2, '198.51.100.10', null, 'open', 'port-scan'],
          [3, '192.0.2.1', 'backscatter', 'open', 'port-scan'],
          [4, '192.0.2.9', 'compromise', 'closed', 'spam'],
        ] as const;
        for (const [id, addr, verdict, state, activity] of rows) {
          await tx.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text, verdict, confidence)
            VALUES (?, ?, ?, ?, ?, ?, 'c.txt', x'00', ?, 'text', ?, ?)`,
          [id, id, id, Date.UTC(2025, 11, id), state === 'closed' ? 'closed' : 'analysed', String(id).repeat(64), JSON.stringify({ activity }), verdict, verdict ? 0.8 : null]);
          await tx.run("INSERT INTO case_addresses (case_id, role, address, addr_key) VALUES (?, 'accused', ?, NULL)", [id, addr]);
        }
      });
      expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version > 2).map((m) => m.version));
      expect(await schemaVersion(db)).toBe(LATEST_VERSION);
      const ranked = await db.all<{ id: number; rank_class: number | null; activity: string; primary_accused: string; rank_reason: string | null }>(
        'SELECT id, rank_class, activity, primary_accused, rank_reason FROM cases ORDER BY id');
      expect(ranked.map((r) => [r.id, r.rank_class, r.activity, r.primary_accused])).toEqual([
        // Ranked by the latest queue classes (0008 ranks again): compromise, other (no clear leaning), false-positive.
        [1, 0, 'worm', '198.51.100.10'], [2, 4, 'port-scan', '198.51.100.10'], [3, 8, 'port-scan', '192.0.2.1'], [4, null, 'spam', '192.0.2.9'],
      ]);
      expect(ranked[1].rank_reason).toMatch(/2nd report about 198\.51\.100\.10 this week/);
      expect(await db.all('SELECT * FROM messages')).toEqual([]);
      expect(await db.all('SELECT * FROM imap_cursors')).toEqual([]);
    } finally {
      await db.close();
    }
    const store = await CaseStore.open(dir);
    try {
      const q = await store.queue();
      expect(q.items.map((i) => [i.id, i.queueClass])).toEqual([[1, 'compromise'], [2, 'other'], [3, 'false-positive']]);
      expect(q.counts).toMatchObject({ compromise: 1, repeat: 2, other: 1, 'false-positive': 1 });
      await store.saveImapCursor('u@h:143', 'INBOX', { uidValidity: '7', lastUid: 12 });
      expect(await store.getImapCursor('u@h:143', 'INBOX')).toMatchObject({ uidValidity: '7', lastUid: 12 });
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
