import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store';
import type { Verdict } from '../../store/types';
import { fakeComplaint, fakeResult, tempDir } from './helpers';

let root = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir: root, cleanup } = await tempDir('ad-repeat-')));
afterAll(() => cleanup());

async function file(name: string, content: string): Promise<{ path: string; originalName: string }> {
  const path = join(root, name);
  await writeFile(path, content);
  return { path, originalName: name };
}

const complaintOf = (n: number) => fakeComplaint({ text: `Complaint ${n}: your host 198.51.100.${n} scanned 203.0.113.5`, accused: [`198.51.100.${n}`] });
const rawOf = (n: number) => `Subject: scan ${n}\n\nComplaint ${n}: your host 198.51.100.${n} scanned 203.0.113.5\n`;
const result = (n: number, verdict: Verdict, confidence: number) => ({ ...fakeResult(complaintOf(n), verdict), confidence });

describe('a repeat complaint', () => {
  it('never changes a replied case: it opens a new case linked to it, with the new evidence', async () => {
    const store = await CaseStore.open(join(root, 'replied'));
    try {
      const pcap = await file('www-border.pcap', 'capture bytes');
      const first = await store.saveAnalysis({
        complaintRaw: rawOf(1), complaintName: 'pasted', complaint: complaintOf(1), evidence: [pcap], result: result(1, 'compromise', 0.95), durationMs: 5,
      });
      await store.markDraftSent(first.draft.id);
      const before = await store.getCase(first.case.id);
      expect(before).toMatchObject({ status: 'replied', verdict: 'compromise', confidence: 0.95 });

      // The same complaint with three unreadable files: even asked to join it, a replied case is not joined.
      const junk = [await file('a.bin', 'junk a'), await file('b.bin', 'junk b'), await file('c.bin', 'junk c')];
      const again = await store.saveAnalysis({
        complaintRaw: `${rawOf(1)}\n`, complaintName: 'pasted', complaint: complaintOf(1), evidence: junk, result: result(1, 'inconclusive', 0.8), durationMs: 5,
        joinOpen: { caseId: first.case.id },
      });
      expect(again).toMatchObject({ existed: false, repeatOf: first.case.id, accepted: true, case: { verdict: 'inconclusive' } });
      const repeat = await store.getCase(again.case.id);
      expect(repeat.evidence.map((e) => e.originalName)).toEqual(['a.bin', 'b.bin', 'c.bin']);
      expect(repeat.repeatOf).toBe(first.case.id);
      expect(repeat.audit.find((a) => a.action === 'repeat_of')?.detail).toMatch(new RegExp(`^repeat of case ${first.case.id} \\(replied\\)`));

      const after = await store.getCase(first.case.id);
      expect(after).toMatchObject({ status: 'replied', verdict: 'compromise', confidence: 0.95, acceptedRunId: first.run.id, repeatedBy: [again.case.id] });
      expect(after.evidence.map((e) => e.originalName)).toEqual(['www-border.pcap']);
      expect(after.runs).toHaveLength(1);
      expect(after.drafts).toEqual(before.drafts);
      // History lists the replied case with its own verdict.
      expect((await store.listCases()).items.find((c) => c.id === first.case.id)).toMatchObject({ verdict: 'compromise', confidence: 0.95 });
      // The default for callers that cannot ask (the CLI) joins the latest case with the complaint only while it is open: the repeat.
      const third = await store.saveAnalysis({ complaintRaw: rawOf(1), complaintName: 'pasted', complaint: complaintOf(1), evidence: [], result: result(1, 'compromise', 0.9), durationMs: 5 });
      expect(third).toMatchObject({ existed: true, case: { id: again.case.id } });
      expect((await store.getCase(first.case.id)).runs).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('joins an open case only when the operator confirmed that case, and keeps its verdict over weaker evidence until accepted', async () => {
    const store = await CaseStore.open(join(root, 'open'));
    try {
      const first = await store.saveAnalysis({
        complaintRaw: rawOf(2), complaintName: 'pasted', complaint: complaintOf(2), evidence: [await file('lan.pcap', 'lan')], result: result(2, 'compromise', 0.9), durationMs: 5,
      });
      const id = first.case.id;
      // Not confirmed (or another case confirmed): a new linked case; the open case is untouched.
      for (const joinOpen of ['never', { caseId: id + 100 }] as const) {
        const r = await store.saveAnalysis({ complaintRaw: rawOf(2), complaintName: 'pasted', complaint: complaintOf(2), evidence: [], result: result(2, 'inconclusive', 0.5), durationMs: 5, joinOpen });
        expect(r).toMatchObject({ existed: false });
        expect(r.case.id).not.toBe(id);
      }
      expect((await store.getCase(id)).runs).toHaveLength(1);
      const openCase = await store.findDuplicate(rawOf(2));
      expect(openCase?.id).not.toBe(id); // the latest case with this complaint

      // Confirmed: it joins; a weaker (inconclusive) run is stored but the headline stays.
      const latest = openCase!.id;
      const seeded = await store.getCase(latest);
      await store.acceptRun(latest, seeded.runs[0].id); // inconclusive 0.5 is its accepted run
      const good = await store.saveAnalysis({ complaintRaw: rawOf(2), complaintName: 'pasted', complaint: complaintOf(2), evidence: [], result: result(2, 'compromise', 0.9), durationMs: 5, joinOpen: { caseId: latest } });
      expect(good).toMatchObject({ existed: true, accepted: true, case: { id: latest, verdict: 'compromise', confidence: 0.9 } });
      const weak = await store.saveAnalysis({
        complaintRaw: rawOf(2), complaintName: 'pasted', complaint: complaintOf(2), evidence: [await file('junk.bin', 'junk')], result: result(2, 'inconclusive', 0.8), durationMs: 5,
        joinOpen: { caseId: latest },
      });
      expect(weak).toMatchObject({ existed: true, accepted: false, case: { id: latest, verdict: 'compromise', confidence: 0.9 } });
      const d = await store.getCase(latest);
      expect(d.runs.map((r) => r.verdict)).toEqual(['inconclusive', 'compromise', 'inconclusive']);
      expect(d.acceptedRunId).toBe(good.run.id);
      expect(d.audit.find((a) => a.action === 'run_not_accepted')?.detail).toMatch(/inconclusive, confidence 0\.80.*does not replace the accepted verdict compromise \(0\.90\)/);
      // A same-verdict run with less confidence is no weaker verdict: it becomes the headline.
      const same = await store.saveAnalysis({ complaintRaw: rawOf(2), complaintName: 'pasted', complaint: complaintOf(2), evidence: [], result: result(2, 'compromise', 0.7), durationMs: 5, joinOpen: { caseId: latest } });
      expect(same.accepted).toBe(true);
      // The operator accepts the kept run: now it is the verdict.
      const s = await store.acceptRun(latest, weak.run.id);
      expect(s).toMatchObject({ verdict: 'inconclusive', confidence: 0.8 });
      expect((await store.getCase(latest)).acceptedRunId).toBe(weak.run.id);
      await expect(store.acceptRun(id, weak.run.id)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await store.close();
    }
  });

  it('opens a new linked case from intake and createOrFindCase when the earlier case is closed; an open one is still joined there', async () => {
    const store = await CaseStore.open(join(root, 'closed'));
    try {
      const a = await store.createOrFindCase({ complaintRaw: rawOf(3), complaintName: 'a.txt', complaint: complaintOf(3) });
      const b = await store.createOrFindCase({ complaintRaw: rawOf(3), complaintName: 'b.txt', complaint: complaintOf(3) });
      expect(b).toMatchObject({ existed: true, repeatOf: null, case: { id: a.case.id } });
      await store.setStatus(a.case.id, 'closed');
      const c = await store.createOrFindCase({ complaintRaw: rawOf(3), complaintName: 'c.txt', complaint: complaintOf(3) });
      expect(c).toMatchObject({ existed: false, repeatOf: a.case.id });
      expect((await store.getCase(a.case.id)).status).toBe('closed');
      const out = await store.intakeMessage({
        raw: Buffer.from(rawOf(3)), complaint: complaintOf(3), firstLook: null, warnings: [], source: { kind: 'eml', path: '/in/x.eml', filename: 'x.eml' },
      });
      expect(out).toMatchObject({ action: 'joined-duplicate', caseId: c.case.id });
    } finally {
      await store.close();
    }
  });
});
