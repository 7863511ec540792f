import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveAnalysedCase } from '../../../cli/commands/cases-save';
import { analyzeFiles } from '../../../services/analyze-files';
import { CaseStore } from '../../../store/case-store';
import { casesDir } from '../../helpers/paths';
import { tempDir } from '../../store/helpers';

describe('analyze --save', () => {
  it('seed003 saved with its run and evidence; the same complaint again joins the case; a data folder that is a file is a store error', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const seed = join(casesDir, 'seed003-udp770-compromise');
      const input = { complaint: new Uint8Array(readFileSync(join(seed, 'complaint.txt'))), complaintName: 'complaint.txt', evidence: [join(seed, 'lan-span.pcap')], ourNets: ['198.51.100.0/24'] };
      const result = await analyzeFiles(input);
      const first = await saveAnalysedCase(join(dir, 'data'), input, result, 12);
      expect(first).toMatchObject({ ok: true, existed: false, dataDir: join(dir, 'data') });
      const again = await saveAnalysedCase(join(dir, 'data'), input, result, 12);
      expect(again).toMatchObject({ ok: true, existed: true, caseId: (first as { caseId: number }).caseId });
      const store = await CaseStore.open(join(dir, 'data'));
      try {
        const c = await store.getCase((first as { caseId: number }).caseId);
        expect([c.verdict, c.evidence.map((e) => e.originalName), c.runs.length]).toEqual([result.verdict, ['lan-span.pcap'], 2]);
      } finally {
        await store.close();
      }
      writeFileSync(join(dir, 'not-a-folder'), 'x');
      const failed = await saveAnalysedCase(join(dir, 'not-a-folder'), input, result, 12);
      expect(failed.ok).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
