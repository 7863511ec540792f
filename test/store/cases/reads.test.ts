import { describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../../../store/case-store';
import { day, useTempStore } from '../store-fixture';

const t = useTempStore();

describe('case reads', () => {
  it('keeps evidence content-addressed and shows a tampered file loudly (chain of custody)', async () => {
    const { store, dir, addCase } = t;
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

  it('finds related cases (same accused, same reporter, overlapping window) and a host history', async () => {
    const { store, addCase } = t;
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
});
