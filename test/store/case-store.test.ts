import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseStore, StoreError, type ReanalyzeInput } from '../../store/case-store';
import { Database } from '../../store/database';
import { fakeComplaint, fakeResult, tempDir } from './helpers';

const day = (d: string): number => Date.parse(`${d}T12:00:00Z`);

let dir: string;
let cleanup: () => Promise<void>;
let store: CaseStore;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  store = await CaseStore.open(join(dir, 'data'));
});
afterEach(async () => {
  await store.close();
  await cleanup();
});

async function addCase(opts: Parameters<typeof fakeComplaint>[0] & { verdict?: 'backscatter' | 'compromise' | 'legitimate' | 'inconclusive' }) {
  const c = fakeComplaint({ text: `${opts.reporter ?? 'someone'} says ${opts.accused?.join(' ') ?? '198.51.100.10'} port-scanned them (${opts.dateMs ?? 0}, ${opts.times?.join(' ')})`, ...opts });
  const raw = `Subject: ${c.subject}\n\n${c.text}`;
  const { case: saved } = await store.createOrFindCase({ complaintRaw: raw, complaintName: 'complaint.txt', complaint: c });
  if (opts.verdict) await store.recordAnalysis(saved.id, fakeResult(c, opts.verdict), 5);
  return saved.id;
}

describe('CaseStore', () => {
  it('opens the existing case when the same complaint is submitted twice', async () => {
    const c = fakeComplaint({ text: 'Your host 198.51.100.10 scanned 203.0.113.5' });
    const first = await store.createOrFindCase({ complaintRaw: `Message-ID: <1@x>\nDate: Mon, 1 Dec 2025\n\n${c.text}`, complaintName: 'a.eml', complaint: c });
    const again = await store.createOrFindCase({ complaintRaw: `Message-ID: <2@x>\nDate: Tue, 2 Dec 2025\n\n>  ${c.text.toUpperCase()}`, complaintName: 'b.eml', complaint: c });
    expect(first.existed).toBe(false);
    expect(again).toMatchObject({ existed: true, case: { id: first.case.id } });
    expect((await store.listCases()).items).toHaveLength(1);
    expect((await store.getCase(first.case.id)).audit.map((a) => a.action)).toEqual(['created', 'duplicate_submitted']);
  });

  it('keeps evidence content-addressed and shows a tampered file loudly (chain of custody)', async () => {
    const id = await addCase({ verdict: 'backscatter' });
    const src = join(dir, 'border.pcap');
    await writeFile(src, 'original capture bytes');
    const ev = await store.attachEvidence(id, src);
    expect(ev).toMatchObject({ originalName: 'border.pcap', size: 22, custody: 'verified' });
    const stored = join(dir, 'data', 'evidence', ev.sha256.slice(0, 2), ev.sha256.slice(2));
    expect((await readdir(join(dir, 'data', 'evidence', ev.sha256.slice(0, 2))))).toEqual([ev.sha256.slice(2)]);
    expect((await store.getCase(id, { verifyEvidence: true })).evidence[0].custody).toBe('verified');

    await writeFile(stored, 'tampered capture bytes'); // same size: only the hash can tell
    const quick = await store.getCase(id);
    expect(quick.evidence[0].custody).toBe('unchecked');
    const full = await store.getCase(id, { verifyEvidence: true });
    expect(full.custodyProblem).toBe(true);
    expect(full.evidence[0]).toMatchObject({ custody: 'mismatch', sha256: ev.sha256, lastVerifiedOk: false });
    expect(full.evidence[0].actualSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.getCase(id)).audit.some((a) => a.action === 'custody_mismatch' && a.detail.includes('border.pcap'))).toBe(true);
    await expect(store.evidencePath(ev.id)).rejects.toMatchObject({ code: 'custody_mismatch', message: expect.stringMatching(/CHAIN OF CUSTODY BROKEN.*\n.*border\.pcap/) });
    await expect(store.reanalyze(id, async () => { throw new Error('must not run'); })).rejects.toMatchObject({ code: 'custody_mismatch' });
    await expect(store.exportBundle(id, join(dir, 'x.tar'))).rejects.toBeInstanceOf(StoreError);

    await writeFile(stored, 'short'); // a different size shows even on the quick check
    expect((await store.getCase(id)).evidence[0].custody).toBe('mismatch');
  });

  it('searches with any text, FTS syntax included, without throwing', async () => {
    await addCase({ text: 'SYN flood "from" 198.51.100.10 (port 80) -- AND/OR NEAR* ^' });
    await addCase({ text: 'ssh brute force from 198.51.100.99', accused: ['198.51.100.99'] });
    for (const q of ['"', '""', '(', ')', '*', 'AND', 'OR', 'NOT', 'NEAR(', 'a:b', 'subject:flood', '-flood', '^syn', '{x}', "'", '\\', '%_', 'flood"*', '\u0000', '🙂']) {
      await expect(store.search(q)).resolves.toBeDefined();
    }
    expect((await store.search('flood')).items.map((c) => c.accused)).toEqual([['198.51.100.10']]);
    expect((await store.search('"198.51.100.99"')).items).toHaveLength(1);
    expect((await store.search('brut')).items).toHaveLength(1); // prefix
    const hit = (await store.search('brute', { order: 'relevance' })).items[0];
    expect(hit.snippet).toContain('«brute»');
  });

  it('filters by address or CIDR, status, verdict, dates and reporter domain', async () => {
    const a = await addCase({ accused: ['198.51.100.10'], reporter: 'abuse@noc.example.net', dateMs: day('2025-12-01'), verdict: 'backscatter' });
    const b = await addCase({ accused: ['198.51.100.200'], reporter: 'soc@example.org', dateMs: day('2025-12-10'), verdict: 'compromise' });
    const c = await addCase({ accused: ['2001:db8::5'], reporter: 'x@example.net', dateMs: day('2025-12-20') });
    const ids = async (f: Parameters<CaseStore['listCases']>[0]) => (await store.listCases(f)).items.map((x) => x.id).sort();
    expect(await ids({ accused: '198.51.100.0/24' })).toEqual([a, b]);
    expect(await ids({ accused: '198.51.100.128/25' })).toEqual([b]);
    expect(await ids({ accused: '198.51.100.10' })).toEqual([a]);
    expect(await ids({ accused: '2001:db8::/32' })).toEqual([c]);
    expect(await ids({ accused: '0.0.0.0/0' })).toEqual([a, b]);
    expect(await ids({ verdict: 'compromise' })).toEqual([b]);
    expect(await ids({ status: 'new' })).toEqual([c]);
    expect(await ids({ from: '2025-12-05', to: '2025-12-10' })).toEqual([b]);
    expect(await ids({ reporterDomain: 'example.net' })).toEqual([a, c]);
    expect(await ids({ reporterDomain: 'ample.net' })).toEqual([]);
    expect(await ids({ accused: '198.51.100.0/24', verdict: ['backscatter', 'inconclusive'] })).toEqual([a]);
    expect((await store.search('port', { accused: '198.51.100.0/25' })).items.map((x) => x.id)).toEqual([a]);
    await expect(store.listCases({ accused: '198.51.100.0/99' })).rejects.toMatchObject({ code: 'invalid' });
    const page = await store.listCases({ limit: 2 });
    expect(page).toMatchObject({ hasMore: true, limit: 2 });
    expect(page.items.map((x) => x.id)).toEqual([c, b]);
  });

  it('finds related cases (same accused, same reporter, overlapping window) and a host history', async () => {
    const base = day('2025-11-01');
    const hour = 3_600_000;
    const a = await addCase({ accused: ['198.51.100.10'], reporter: 'r1@one.example', dateMs: base, times: [base, base + hour], verdict: 'backscatter' });
    const b = await addCase({ accused: ['198.51.100.10'], reporter: 'r2@two.example', dateMs: base + 30 * 86_400_000, times: [base + 30 * 86_400_000], verdict: 'compromise' });
    const c = await addCase({ accused: ['192.0.2.7'], reporter: 'r1@one.example', dateMs: base + 60 * 86_400_000, times: [base + 60 * 86_400_000] });
    const d = await addCase({ accused: ['192.0.2.8'], reporter: 'r3@three.example', dateMs: base, times: [base + hour / 2, base + 2 * hour] });
    await addCase({ accused: ['192.0.2.9'], reporter: 'r4@four.example', dateMs: base + 5 * 86_400_000, times: [base + 5 * 86_400_000] });
    const related = await store.relatedCases(a);
    expect(related.map((r) => [r.case.id, r.reasons])).toEqual([[b, ['same-accused']], [c, ['same-reporter']], [d, ['overlapping-window']]]);
    expect(related[0].sharedAddresses).toEqual(['198.51.100.10']);

    const h = await store.hostHistory('198.51.100.10');
    expect(h.cases.map((x) => x.id)).toEqual([a, b]);
    expect(h).toMatchObject({ address: '198.51.100.10', firstSeen: base, lastSeen: base + 30 * 86_400_000, byVerdict: { backscatter: 1, compromise: 1, none: 0 } });
    expect((await store.hostHistory('192.0.2.0/24')).cases).toHaveLength(3);
  });

  it('re-analyses a stored case and keeps the old runs', async () => {
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

  it('exports a case as a bundle and imports it into a fresh data folder', async () => {
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
      const strip = (x: typeof a) => ({ ...x, id: 0, updatedAt: 0, audit: x.audit.map((e) => e.action), evidence: x.evidence.map((e) => [e.sha256, e.originalName, e.size]),
        runs: x.runs.map((e) => [e.verdict, e.result]), drafts: x.drafts.map((d) => [d.version, d.body, d.origin, d.sentAt]), notes: x.notes.map((n) => n.body) });
      const sa = strip(a);
      const sb = strip(b);
      expect(sa.audit.at(-1)).toBe('exported');
      expect(sb.audit.at(-1)).toBe('imported');
      expect(sb.audit.slice(0, -1)).toEqual(sa.audit.slice(0, -1));
      expect({ ...sb, audit: [], custodyProblem: false }).toEqual({ ...sa, audit: [], custodyProblem: false });
      expect(b.evidence[0].custody).toBe('verified');
      expect(await other.importBundle(bundle)).toEqual({ caseId: r.caseId, existed: true });
    } finally {
      await other.close();
    }
  });

  it('refuses a bundle whose evidence was altered, importing nothing', async () => {
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

  it('backs up into a database that opens and holds every case', async () => {
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

  it('says the disk is full, and the failed write changes nothing', async () => {
    const { dir: d2, cleanup: c2 } = await tempDir();
    const small = await CaseStore.open(d2, { maxPageCount: 60 });
    try {
      const big = 'x'.repeat(200_000);
      const c = fakeComplaint({ text: big });
      const err = await small.createOrFindCase({ complaintRaw: big, complaintName: 'big.txt', complaint: c }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/disk .* is full.*Nothing was lost/) });
      expect((await small.listCases()).items).toEqual([]);
      await small.createOrFindCase({ complaintRaw: 'small', complaintName: 's.txt', complaint: fakeComplaint({ text: 'small' }) });
      expect((await small.listCases()).items).toHaveLength(1);
    } finally {
      await small.close();
      await c2();
    }
  });
});
