import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseStore } from '../../../store/case-store';
import { fakeComplaint, fakeResult } from '../helpers';
import { useTempStore } from '../store-fixture';

const t = useTempStore();

describe('bundle import', () => {
  it('refuses a bundle whose evidence was altered, importing nothing', async () => {
    const { store, dir } = t;
    const c = fakeComplaint();
    await writeFile(join(dir, 'e.bin'), 'EVIDENCE-EVIDENCE');
    const saved = await store.saveAnalysis({ complaintRaw: c.text, complaintName: 'c.txt', complaint: c, evidence: [join(dir, 'e.bin')], result: fakeResult(c), durationMs: 1 });
    const bundle = await store.exportBundle(saved.case.id, join(dir, 'b.tar'));
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(bundle);
    const at = bytes.indexOf('EVIDENCE-EVIDENCE');
    bytes.write('X', at);
    await writeFile(bundle, bytes);
    const other = await CaseStore.open(join(dir, 'fresh'));
    try {
      await expect(other.importBundle(bundle)).rejects.toMatchObject({ code: 'custody_mismatch' });
      expect((await other.listCases()).items).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
