import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReanalyzeInput } from '../../../store/case-store';
import { fakeComplaint, fakeResult } from '../helpers';
import { useTempStore } from '../store-fixture';

const t = useTempStore();

describe('case writes', () => {
  it('opens the existing case when the same complaint is submitted twice', async () => {
    const { store } = t;
    const c = fakeComplaint({ text: 'Your host 198.51.100.10 scanned 203.0.113.5' });
    const first = await store.createOrFindCase({ complaintRaw: `Message-ID: <1@x>\nDate: Mon, 1 Dec 2025\n\n${c.text}`, complaintName: 'a.eml', complaint: c });
    const again = await store.createOrFindCase({ complaintRaw: `Message-ID: <2@x>\nDate: Tue, 2 Dec 2025\n\n>  ${c.text.toUpperCase()}`, complaintName: 'b.eml', complaint: c });
    expect(first.existed).toBe(false);
    expect(again).toMatchObject({ existed: true, case: { id: first.case.id } });
    expect((await store.listCases()).items).toHaveLength(1);
    expect((await store.getCase(first.case.id)).audit.map((a) => a.action)).toEqual(['created', 'duplicate_submitted']);
  });

  it('re-analyses a stored case and keeps the old runs', async () => {
    const { store, dir } = t;
    const c = fakeComplaint({ accused: ['198.51.100.10'] });
    await writeFile(join(dir, 'ra.txt'), 'argus lines');
    const saved = await store.saveAnalysis({
      complaintRaw: c.text, complaintName: 'c.txt', complaint: c, evidence: [join(dir, 'ra.txt')],
      result: fakeResult(c, 'inconclusive', '0.1.0', [{ file: 'ra.txt', format: 'argus', firstTs: 1e15, lastTs: 2e15 }]), durationMs: 10, options: { ourNets: ['198.51.100.0/24'] },
    });
    expect(saved.draft.version).toBe(1);
    let seen: ReanalyzeInput | undefined;
    const { run, draft } = await store.reanalyze(saved.case.id, async (input) => {
      seen = input;
      return fakeResult(c, 'compromise', '0.2.0');
    });
    expect(seen!.options).toEqual({ ourNets: ['198.51.100.0/24'] });
    expect(seen!.evidence[0]).toMatchObject({ originalName: 'ra.txt' });
    expect(new TextDecoder().decode(seen!.complaintRaw)).toBe(c.text);
    expect(run).toMatchObject({ engineVersion: '0.2.0', verdict: 'compromise' });
    expect(draft?.version).toBe(2);
    const detail = await store.getCase(saved.case.id);
    expect(detail.runs.map((r) => [r.engineVersion, r.verdict])).toEqual([['0.1.0', 'inconclusive'], ['0.2.0', 'compromise']]);
    expect(detail.verdict).toBe('compromise');
    expect(detail.evidence[0]).toMatchObject({ format: 'argus', firstTs: 1e15, lastTs: 2e15 });
    expect(detail.audit.map((a) => a.action)).toContain('reanalysed');
  });

  it('keeps drafts, notes, tags and status in the audit trail', async () => {
    const { store, addCase } = t;
    const id = await addCase({ verdict: 'backscatter' });
    const d1 = await store.saveDraft(id, { subject: 'Re: scan', body: 'generated', origin: 'generated' });
    const d2 = await store.saveDraft(id, { subject: 'Re: scan', body: 'edited by me', origin: 'edited' });
    expect([d1.version, d2.version]).toEqual([1, 2]);
    expect((await store.markDraftSent(d2.id)).sentAt).toBeTypeOf('number');
    await store.addTag(id, 'repeat-offender');
    expect(await store.removeTag(id, 'nope')).toEqual(['repeat-offender']);
    await store.addNote(id, 'phoned the customer');
    await store.setStatus(id, 'closed');
    const c = await store.getCase(id);
    expect(c).toMatchObject({ status: 'closed', tags: ['repeat-offender'] });
    expect(c.audit.map((a) => a.action)).toEqual(['created', 'analysed', 'status_changed', 'draft_saved', 'draft_saved', 'draft_sent', 'status_changed', 'tag_added', 'note_added', 'status_changed']);
    expect((await store.search('edited')).items.map((x) => x.id)).toEqual([id]); // drafts are searchable
    await expect(store.getCase(999)).rejects.toMatchObject({ code: 'not_found' });
  });
});
