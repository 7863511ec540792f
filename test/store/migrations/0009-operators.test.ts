import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { migrate, schemaVersion } from '../../../store/migrations/index';
import { tempDir } from '../helpers';

describe('migration 0009-operators', () => {
  it('starts stored cases at version 1 and leaves the operator of older audit lines unknown', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      await migrate(db, 8);
      await db.transaction(async (tx) => {
        await tx.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text)
          VALUES (1, 1, 2, 1, 'analysed', ?, 'c.eml', x'00', '{}', '')`, ['a'.repeat(64)]);
        await tx.run("INSERT INTO audit (case_id, at, action, detail) VALUES (1, 2, 'status_changed', 'status new → analysed')");
      });
      expect(await migrate(db)).toContain(9);
      expect(await schemaVersion(db)).toBeGreaterThanOrEqual(9);
      expect(await db.get('SELECT version FROM cases WHERE id = 1')).toEqual({ version: 1 });
      expect(await db.all('SELECT action, operator FROM audit')).toEqual([{ action: 'status_changed', operator: null }]);
    } finally {
      await db.close();
      await cleanup();
    }
  });
});
