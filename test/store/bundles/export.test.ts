import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseStore } from '../../../store/case-store';
import { fakeComplaint, fakeResult } from '../helpers';
import { day, useTempStore } from '../store-fixture';

const t = useTempStore();

describe('bundle export', () => {
  it('exports a case as a bundle and imports it into a fresh data folder', async () => {
    const { store, dir } = t;
    const c = fakeComplaint({ accused: ['198.51.100.10'], dateMs: day('2025-12-18'), times: [day('2025-12-18')] });
    await writeFile(join(dir, 'border.pcap'), Buffer.alloc(3000, 7));
    const saved = await store.saveAnalysis({ complaintRaw: `Subject: x\n\n${c.text}`, complaintName: 'mail.eml', complaint: c, evidence: [join(dir, 'border.pcap')], result: fakeResult(c, 'backscatter'), durationMs: 9 });
    await store.saveDraft(saved.case.id, { subject: 'Re: x', body: 'my edit', origin: 'edited' });
    await store.addNote(saved.case.id, 'note 1');
    await store.addTag(saved.case.id, 'export-me');
    const bundle = await store.exportBundle(saved.case.id, dir);
    expect(bundle).toMatch(/case-1\.abuse-case\.tar$/);
    const listing = spawnSync('tar', ['-tf', bundle], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(listing).toEqual(expect.arrayContaining(['manifest.json', 'complaint/mail.eml', 'analysis/run-1.json', 'reply.md', 'drafts/v2.md', expect.stringMatching(/^evidence\/[0-9a-f]{64}$/)]));

    const other = await CaseStore.open(join(dir, 'fresh'));
    try {
      const r = await other.importBundle(bundle);
      expect(r.existed).toBe(false);
      const a = await store.getCase(saved.case.id);
      const b = await other.getCase(r.caseId, { verifyEvidence: true });
      const strip = (x: typeof a) => ({ ...x, id: 0, updatedAt: 0, version: 0, audit: x.audit.map((e) => e.action), evidence: x.evidence.map((e) => [e.sha256, e.originalName, e.size]),
        runs: x.runs.map((e) => [e.verdict, e.result]), drafts: x.drafts.map((d) => [d.version, d.body, d.origin, d.sentAt]), notes: x.notes.map((n) => n.body) });
      const sa = strip(a);
      const sb = strip(b);
      expect(sa.audit.at(-1)).toBe('exported');
      // The exporting desk's trail comes along as imported history; ours starts with the import.
      expect(sb.audit).toEqual(['imported']);
      expect(b.importedHistory?.map((h) => h.action)).toEqual(sa.audit.slice(0, -1));
      expect(b.importedHistory?.map((h) => h.at)).toEqual(a.audit.slice(0, -1).map((e) => e.at));
      expect({ ...sb, audit: [], importedHistory: [], custodyProblem: false }).toEqual({ ...sa, audit: [], importedHistory: [], custodyProblem: false });
      expect(b.evidence[0].custody).toBe('verified');
      expect(await other.importBundle(bundle)).toEqual({ caseId: r.caseId, existed: true });
    } finally {
      await other.close();
    }
  });
});
