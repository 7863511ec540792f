import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../services/analyze-files';
import { analyzeCase, analyzeSeeds, fuzzDir, fuzzFailures, problemsOf, UNIT_TIER_ITERATIONS } from '../helpers/fuzz-analyze';
import { fuzzRuns, fuzzSeed, seedLabel } from '../helpers/fuzz-seed';

/**
 * The whole analyze path fuzzed (test/helpers/fuzz-analyze.ts: complaint and
 * evidence mutated together, mail structure included, through
 * services/analyze-files.ts and the CLI's printing), a run of the lighter
 * mutations here; the slow tier (analyze-fuzz.slow.test.ts) goes on from
 * where this stops, and `npm run bench -- --only fuzz` runs 100,000 at full
 * size with a time budget per iteration. One iteration replays with
 * FUZZ_SEED=<seed> FUZZ_AT=<iteration>.
 */
// About 3.5 ms of CPU each (mailparser and the engine), 6 ms on a busy host: 1,000 keep this file
// near 6 s, and each run draws a new seed, so the unit tier still explores new inputs every time.
const runs = fuzzRuns(UNIT_TIER_ITERATIONS);
const at = process.env.FUZZ_AT ? Number(process.env.FUZZ_AT) : undefined;
const seeds = analyzeSeeds();
const arb = analyzeCase(seeds, { light: true });
const { dir, remove } = fuzzDir();
afterAll(remove);

describe(`analyze fuzz, ${seedLabel()}`, () => {
  it('has complaint seeds of every kind and evidence of every format to mutate', () => {
    expect(seeds.complaints.length).toBeGreaterThan(120);
    const names = seeds.evidence.map((s) => s.name).join(' ');
    for (const ext of ['.pcap', '.pcapng', '.log', '.txt']) expect(names).toContain(ext);
  });

  it('the oracles reject a result that breaks them', async () => {
    const complaint = seeds.complaints.find((s) => s.name === 'cet-portscan.eml')!.bytes;
    const r = await analyzeFiles({ complaint, complaintName: 'cet-portscan.eml', evidence: [], ourNets: [] });
    expect(problemsOf(r, complaint.length)).toEqual([]);
    const broken = { ...r, verdict: 'fine' as never, confidence: 1.5, complaint: { ...r.complaint, warnings: ['complaint could not be understood: boom'] } };
    expect(problemsOf(broken, complaint.length)).toEqual([
      "the complaint reader's catch-all fired: complaint could not be understood: boom",
      'verdict fine is not one of backscatter, legitimate, compromise, inconclusive',
      'confidence 1.5 is not in [0, 1]',
    ]);
    expect(problemsOf({ ...r, notes: [(() => 'x') as never] }, complaint.length)[0]).toMatch(/not plain data/);
    expect(problemsOf({ ...r, notes: ['x'.repeat(3 * 1024 * 1024)] }, 10)).toEqual([expect.stringMatching(/^the result is \d+ bytes of JSON for 10 bytes of input$/)]);
  });

  it(`${at !== undefined ? `iteration ${at}` : `${runs} iterations`}: every oracle holds`, async () => {
    const from = at ?? 0;
    expect(await fuzzFailures(arb, seeds, dir, fuzzSeed, from, at !== undefined ? at + 1 : runs)).toEqual([]);
  }, 300_000);
});
