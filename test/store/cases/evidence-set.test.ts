/**
 * A case owns its evidence: a file taken out stays accounted for (row, vault
 * copy, audit line) but is no longer read; an excluded file stays in the case
 * and is left out of the next run; attaching it again brings it back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReanalyzeInput } from '../../../store/types';
import { fakeComplaint, fakeResult } from '../helpers';
import { useTempStore } from '../store-fixture';

const CASES = join(process.cwd(), '..', 'shared', 'cases');
const PCAP = join(CASES, 'seed001-synflood-backscatter', 'www-border.pcap');
const OTHER = join(CASES, 'seed003-udp770-compromise', 'lan-span.pcap');

describe('evidence membership', () => {
  const t = useTempStore();

  it('removes a file from the case (kept in the vault, audited), excludes one from the next run, and re-analysis reads only the rest', async () => {
    const c = fakeComplaint();
    const saved = await t.store.saveAnalysis({
      complaintRaw: `Subject: ${c.subject}\n\n${c.text}`, complaintName: 'pasted', complaint: c,
      evidence: [PCAP, OTHER], result: fakeResult(c, 'backscatter'), durationMs: 5,
    });
    const id = saved.case.id;
    const [www, lan] = (await t.store.getCase(id)).evidence;
    expect([www.originalName, lan.originalName]).toEqual(['www-border.pcap', 'lan-span.pcap']);
    expect([www.removedAt, www.excluded]).toEqual([null, false]);

    const removed = await t.store.removeEvidence(id, lan.id, 'capture of another link');
    expect(removed.removedAt).not.toBeNull();
    let d = await t.store.getCase(id);
    expect(d.evidence.map((e) => [e.originalName, e.removedAt !== null])).toEqual([['www-border.pcap', false], ['lan-span.pcap', true]]);
    expect(existsSync(join(t.dir, 'data', 'evidence', lan.sha256.slice(0, 2)))).toBe(true);
    expect(d.audit.at(-1)).toMatchObject({ action: 'evidence_removed' });
    expect(d.audit.at(-1)!.detail).toMatch(/lan-span\.pcap removed from the case \(capture of another link\); kept in the vault, SHA-256 [0-9a-f]{64}/);
    // Removing twice changes nothing more.
    await t.store.removeEvidence(id, lan.id);
    expect((await t.store.getCase(id)).audit.filter((a) => a.action === 'evidence_removed')).toHaveLength(1);
    await expect(t.store.setEvidenceExcluded(id, lan.id, false)).rejects.toMatchObject({ code: 'invalid' });

    const seen: string[][] = [];
    const analyze = async (input: ReanalyzeInput) => {
      seen.push(input.evidence.map((e) => e.originalName));
      return fakeResult(c, 'backscatter');
    };
    await t.store.reanalyze(id, analyze);
    expect(seen.at(-1)).toEqual(['www-border.pcap']);

    await t.store.setEvidenceExcluded(id, www.id, true);
    d = await t.store.getCase(id);
    expect(d.evidence[0].excluded).toBe(true);
    expect(d.audit.at(-1)).toMatchObject({ action: 'evidence_excluded' });
    await t.store.reanalyze(id, analyze);
    expect(seen.at(-1)).toEqual([]);

    await t.store.setEvidenceExcluded(id, www.id, false);
    // Attaching the removed file again brings it back into the case and the run.
    await t.store.attachEvidence(id, OTHER);
    d = await t.store.getCase(id);
    expect(d.evidence.map((e) => [e.originalName, e.removedAt, e.excluded])).toEqual([['www-border.pcap', null, false], ['lan-span.pcap', null, false]]);
    expect(d.audit.map((a) => a.action)).toContain('evidence_restored');
    await t.store.reanalyze(id, analyze);
    expect(seen.at(-1)).toEqual(['www-border.pcap', 'lan-span.pcap']);
  });

  it('refuses evidence of another case', async () => {
    const a = await t.addCase({ accused: ['198.51.100.7'] });
    const b = await t.addCase({ accused: ['198.51.100.8'] });
    const e = await t.store.attachEvidence(a, PCAP);
    await expect(t.store.removeEvidence(b, e.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.store.setEvidenceExcluded(b, e.id, true)).rejects.toMatchObject({ code: 'not_found' });
  });
});
