import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { migrate, schemaVersion } from '../../../store/migrations/index';
import { CaseStore } from '../../../store/case-store';
import { tempDir } from '../helpers';

describe('migration 0006-evidence-membership', () => {
  it('keeps the evidence already stored in its case and read by runs', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      await migrate(db, 5);
      await db.transaction(async (tx) => {
        await tx.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text)
          VALUES (1, 1, 1, 1, 'analysed', ?, 'c.txt', x'00', '{}', 'text')`, ['a'.repeat(64)]);
        await tx.run(`INSERT INTO evidence (case_id, sha256, original_name, size, attached_at) VALUES (1, ?, 'www-border.pcap', 10, 1)`, ['b'.repeat(64)]);
      });
      expect(await migrate(db)).toContain(6);
      expect(await schemaVersion(db)).toBeGreaterThanOrEqual(6);
      expect(await db.all('SELECT original_name, removed_at, excluded FROM evidence')).toEqual([{ original_name: 'www-border.pcap', removed_at: null, excluded: 0 }]);
      await expect(db.run('UPDATE evidence SET excluded = 2')).rejects.toThrow(/CHECK/);
    } finally {
      await db.close();
    }
    const store = await CaseStore.open(dir);
    try {
      expect((await store.getCase(1)).evidence[0]).toMatchObject({ originalName: 'www-border.pcap', removedAt: null, excluded: false });
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
