import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseStore } from '../../store/case-store';
import { Database } from '../../store/database';
import { useTempStore } from './store-fixture';

const t = useTempStore();

describe('backup', () => {
  it('backs up into a database that opens and holds every case', async () => {
    const { store, dir, addCase } = t;
    for (let i = 0; i < 5; i++) await addCase({ text: `complaint number ${i}`, verdict: 'legitimate' });
    await writeFile(join(dir, 'e.bin'), 'x');
    await store.attachEvidence(1, join(dir, 'e.bin'));
    const r = await store.backup(join(dir, 'backup'));
    expect(r.evidenceFiles).toBe(1);
    const db = await Database.open(r.databasePath, { readOnly: true });
    try {
      expect(await db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
      expect(await db.get('SELECT count(*) AS n FROM cases')).toEqual({ n: 5 });
    } finally {
      await db.close();
    }
    const restored = await CaseStore.open(join(dir, 'backup'));
    expect((await restored.search('number')).items).toHaveLength(5);
    expect((await restored.getCase(1, { verifyEvidence: true })).evidence[0].custody).toBe('verified');
    await restored.close();
    await expect(store.backup(join(dir, 'backup'))).rejects.toMatchObject({ code: 'invalid' });
  });
});
