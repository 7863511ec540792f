/**
 * A run is stored whole: the AnalysisResult of a real analysis (the seed
 * SYN-flood case through analyzeFiles) comes back from the case exactly as the
 * Result view showed it (verdict, findings with every evidence reference,
 * the timeline's inputs, warnings, draft), for the first run and for a
 * re-analysis, so a stored case reopens as it was shown.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import type { AnalysisResult } from '../../../analysis/pipeline';
import { analyzeFiles } from '../../../services/analyze-files';
import { casesDir } from '../../helpers/paths';
import { useTempStore } from '../store-fixture';

const SEED = join(casesDir, 'seed001-synflood-backscatter');
const PCAP = join(SEED, 'www-border.pcap');

/** What crosses the contract: the result as JSON (undefined members dropped). */
const asShown = (r: AnalysisResult): unknown => JSON.parse(JSON.stringify(r));

describe('stored runs keep the whole result', () => {
  const t = useTempStore();

  it('the saved run and a re-analysis come back whole, findings with every quoted packet', async () => {
    const raw = await readFile(join(SEED, 'complaint.txt'));
    const input = { complaint: new Uint8Array(raw), complaintName: 'complaint.txt', evidence: [PCAP], ourNets: [] };
    const result = await analyzeFiles(input);
    expect(result.findings.length).toBeGreaterThan(0);
    const refs = result.findings.flatMap((f) => f.evidence);
    expect(refs.some((r) => r.packet !== undefined && r.file === 'www-border.pcap')).toBe(true);

    const complaint = await parseComplaint(new Uint8Array(raw), { fileName: 'complaint.txt' });
    const saved = await t.store.saveAnalysis({
      complaintRaw: raw, complaintName: 'complaint.txt', complaint, evidence: [{ path: PCAP, originalName: 'www-border.pcap' }], result, durationMs: 12,
    });
    const first = (await t.store.getCase(saved.case.id)).runs[0];
    expect(first.result).toEqual(asShown(result));
    expect(first.result.findings.flatMap((f) => f.evidence)).toHaveLength(refs.length);
    expect(first.result.draft).toEqual(result.draft);
    expect(first.result.warnings).toEqual(result.warnings);

    // A re-analysis is a second run; the first stays as it was.
    const { run } = await t.store.reanalyze(saved.case.id, async (r) => analyzeFiles(
      { complaint: r.complaintRaw, complaintName: r.complaintName, evidence: r.evidence.map((e) => e.path), ourNets: [] }));
    const detail = await t.store.getCase(saved.case.id);
    expect(detail.runs.map((r) => r.id)).toEqual([first.id, run.id]);
    expect(detail.runs[0].result).toEqual(asShown(result));
    expect(detail.runs[1].result.verdict).toBe(result.verdict);
    expect(detail.runs[1].result.findings.map((f) => f.evidence.length)).toEqual(result.findings.map((f) => f.evidence.length));
  });
});
