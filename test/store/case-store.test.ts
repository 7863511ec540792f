import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import { analyzeFiles } from '../../services/analyze-files';
import { CaseStore } from '../../store/case-store';
import { casesDir } from '../helpers/paths';
import { tempDir } from './helpers';

const seed = join(casesDir, 'seed001-synflood-backscatter');
const ourNets = ['198.51.100.0/24'];

describe('the case store facade', () => {
  it('seed001 through one store and into another: saved with its run, draft and evidence, found, exported, imported, backed up, custody intact', async () => {
    const { dir, cleanup } = await tempDir();
    const raw = new Uint8Array(readFileSync(join(seed, 'complaint.txt')));
    const pcap = join(seed, 'www-border.pcap');
    const expected = JSON.parse(readFileSync(join(seed, 'expected.json'), 'utf8')) as { verdict: string };
    const a = await CaseStore.open(join(dir, 'a'));
    const b = await CaseStore.open(join(dir, 'b'));
    try {
      const result = await analyzeFiles({ complaint: raw, complaintName: 'complaint.txt', evidence: [pcap], ourNets });
      const complaint = await parseComplaint(raw, { fileName: 'complaint.txt', ourNets });
      const saved = await a.saveAnalysis({ complaintRaw: raw, complaintName: 'complaint.txt', complaint, evidence: [pcap], result, durationMs: 10 });
      expect([saved.existed, saved.accepted, saved.case.verdict, saved.draft.origin]).toEqual([false, true, expected.verdict, 'generated']);

      const detail = await a.getCase(saved.case.id, { verifyEvidence: true });
      expect(detail.evidence.map((e) => [e.originalName, e.sha256, e.custody])).toEqual([['www-border.pcap', createHash('sha256').update(readFileSync(pcap)).digest('hex'), 'verified']]);
      expect(Buffer.from(detail.complaintRaw).equals(Buffer.from(raw))).toBe(true);
      expect((await a.search('portscan')).items.map((h) => h.id)).toContain(saved.case.id);
      expect((await a.hostHistory('198.51.100.80')).cases.map((c) => c.id)).toEqual([saved.case.id]);

      const bundle = await a.exportBundle(saved.case.id, join(dir, 'out'));
      const imported = await b.importBundle(bundle);
      expect(imported.existed).toBe(false);
      const copy = await b.getCase(imported.caseId, { verifyEvidence: true });
      expect([copy.fingerprint, copy.verdict, copy.evidence.map((e) => [e.sha256, e.custody])]).toEqual([detail.fingerprint, detail.verdict, detail.evidence.map((e) => [e.sha256, 'verified'])]);
      expect((await b.importBundle(bundle)).existed).toBe(true);

      const backup = await a.backup(join(dir, 'backup'));
      expect(backup.evidenceFiles).toBe(1);
      const restored = await CaseStore.open(join(dir, 'backup'));
      try {
        expect((await restored.listCases()).items.map((c) => c.id)).toEqual([saved.case.id]);
      } finally {
        await restored.close();
      }
      expect((await a.vaultCheck()).orphans).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await cleanup();
    }
  });
});
