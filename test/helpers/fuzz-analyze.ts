import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { VERDICTS } from '../../analysis/case-vocabulary';
import type { AnalysisResult } from '../../analysis/pipeline';
import { terminalJson } from '../../analysis/util/printable';
import { renderMarkdown } from '../../cli/commands/render-markdown';
import { analyzeFiles } from '../../services/analyze-files';
import { mailMutation, mutateMail, type MailMutation } from './fuzz-mail-mutate';
import { appendPart, joinMail, renderMail, splitMail, type Leaf } from './fuzz-mime';
import { mutate, mutation, type Mutation } from './fuzz-mutate';
import { writeZip } from './fuzz-zip';
import { RAW_TERMINAL_CONTROLS } from './hostile-mail';
import { corpusDir, filesIn, fixturesDir } from './paths';

/**
 * The whole `analyze` path under fuzzing: a complaint and a piece of evidence
 * are mutated together (bytes, and mail structure: charsets, transfer
 * encodings, boundaries, nesting, header floods), the evidence given as a
 * file, attached to the complaint mail, zipped into it, or both, and the case
 * run through services/analyze-files.ts as the CLI runs it, then printed as
 * the CLI prints it. Oracles (`problemsOf`), for any input:
 * - analyzeFiles resolves, and the complaint reader's catch-all never fires;
 * - the result is plain data (structured clone keeps it equal), its verdict
 *   one of the vocabulary and its confidence in [0, 1];
 * - its size is bounded by the input's;
 * - the Markdown and the JSON the terminal gets hold no raw control or
 *   bidi character.
 * Each iteration's input comes from (seed, index) alone, so a failure is
 * replayed by its seed and index (the bench runs millions of them this way).
 */

export interface Seed { name: string; bytes: Uint8Array }

const read = (p: string): Seed => ({ name: basename(p), bytes: new Uint8Array(readFileSync(p)) });
const complaints = join(corpusDir, 'complaints');

/** Complaint seeds (fixtures and the real corpus) and evidence seeds (the small evidence fixtures of every format). */
export function analyzeSeeds(): { complaints: Seed[]; evidence: Seed[] } {
  return {
    complaints: [
      ...filesIn(join(fixturesDir, 'complaints'), /\.(eml|txt)$/),
      ...filesIn(join(fixturesDir, 'mail'), /\.eml$/),
      ...filesIn(join(complaints, 'abuseio'), /\.eml$/),
      ...filesIn(join(complaints, 'xarf'), /\.json$/),
      ...filesIn(join(complaints, 'shadowserver-csv'), /\.csv$/),
    ].map(read),
    evidence: filesIn(fixturesDir, /\.(pcap|pcapng|log|txt)$/)
      .filter((f) => !/\/(complaints|results|triage)\//.test(f))
      .map(read)
      .filter((s) => s.bytes.length <= 128 * 1024),
  };
}

export interface AnalyzeCase {
  complaint: number;
  evidence: number;
  /** Where the evidence goes: an evidence file, a mail attachment, a zipped attachment, or a file and an attachment. */
  placement: 'file' | 'attached' | 'zipped' | 'both' | 'none';
  evidenceMutations: Mutation[];
  structural: MailMutation[];
  bytewise: Mutation[];
}

/**
 * The unit tier's lighter mail mutations: the same kinds, smaller (nesting
 * 12 deep, 150 header fields, 8,000-character headers), so a few thousand
 * iterations fit in seconds; the bench draws them at full size.
 */
function light(m: MailMutation): MailMutation {
  switch (m.kind) {
    case 'nest': return { ...m, depth: Math.min(m.depth, 12) };
    case 'header-flood': return { ...m, count: Math.min(m.count, 150) };
    case 'long-header': return { ...m, length: Math.min(m.length, 8000) };
    default: return m;
  }
}

export function analyzeCase(seeds: { complaints: Seed[]; evidence: Seed[] }, opts: { light?: boolean } = {}): fc.Arbitrary<AnalyzeCase> {
  return fc.record({
    complaint: fc.nat(seeds.complaints.length - 1),
    evidence: fc.nat(seeds.evidence.length - 1),
    placement: fc.constantFrom('file', 'attached', 'zipped', 'both', 'none'),
    evidenceMutations: fc.array(mutation, { maxLength: 3 }),
    structural: fc.array(opts.light ? mailMutation.map(light) : mailMutation, { maxLength: 3 }),
    bytewise: fc.array(mutation, { maxLength: 3 }),
  });
}

/** The one input of iteration `index` of a run seeded `seed`. */
export function caseAt(arb: fc.Arbitrary<AnalyzeCase>, seed: number, index: number): AnalyzeCase {
  return fc.sample(arb, { seed: (seed + Math.imul(index, 0x9e3779b1)) | 0, numRuns: 1 })[0];
}

/** The complaint with the evidence attached: one more part of a multipart seed, else a new multipart around the seed as text. */
function attach(complaint: Uint8Array, evidence: Leaf): Uint8Array {
  const m = splitMail(complaint);
  const added = m && appendPart(m, evidence);
  if (added) return joinMail(added);
  return renderMail([
    ['From', 'reports@example.org'], ['Subject', 'Report'], ['Date', 'Thu, 1 Jan 2015 10:00:00 +0000'],
  ], { subtype: 'mixed', boundary: 'fuzz-attach', parts: [{ type: 'text/plain', charset: 'utf-8', encoding: 'base64', body: complaint }, evidence] }, '\r\n');
}

export interface BuiltCase { complaint: Uint8Array; evidence?: { name: string; bytes: Uint8Array } }

export function buildCase(c: AnalyzeCase, seeds: { complaints: Seed[]; evidence: Seed[] }): BuiltCase {
  const ev = seeds.evidence[c.evidence];
  const evBytes = mutate(ev.bytes, c.evidenceMutations);
  let complaint = seeds.complaints[c.complaint].bytes;
  if (c.placement === 'attached' || c.placement === 'both') complaint = attach(complaint, { type: 'application/octet-stream', encoding: 'base64', filename: ev.name, body: evBytes });
  if (c.placement === 'zipped') complaint = attach(complaint, { type: 'application/zip', encoding: 'base64', filename: `${ev.name}.zip`, body: writeZip([{ name: ev.name, data: evBytes, method: 8 }]) });
  complaint = mutate(mutateMail(complaint, c.structural), c.bytewise);
  const asFile = c.placement === 'file' || c.placement === 'both';
  return { complaint, evidence: asFile ? { name: ev.name, bytes: evBytes } : undefined };
}

/**
 * A folder for the evidence files of one fuzz run (each iteration writes its
 * one file and removes it): in memory (/dev/shm) where the system has it, as
 * thousands of small files created and removed on a journaled disk cost more
 * than the analysis of many of them.
 */
export function fuzzDir(): { dir: string; remove: () => void } {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'abuse-desk-fuzz-analyze-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run one built case through the analysis as the CLI does; the oracles' findings (empty when all hold). */
export async function runCase(b: BuiltCase, dir: string): Promise<string[]> {
  const paths: string[] = [];
  if (b.evidence) {
    const p = join(dir, b.evidence.name);
    writeFileSync(p, b.evidence.bytes);
    paths.push(p);
  }
  let result: AnalysisResult;
  try {
    result = await analyzeFiles({ complaint: b.complaint, complaintName: 'fuzzed.eml', evidence: paths, ourNets: [], mask: true });
  } catch (err) {
    return [`analyzeFiles threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`];
  } finally {
    // Removed rather than overwritten next time: ext4 flushes a file truncated and written again
    // on close (auto_da_alloc), ~0.8 ms an iteration; a new file and an unlink cost ~0.1.
    for (const p of paths) rmSync(p, { force: true });
  }
  return problemsOf(result, b.complaint.length + (b.evidence?.bytes.length ?? 0));
}

/** Iterations of the analyze fuzz in the unit tier; the slow tier's run goes on from here, with the same seed. */
export const UNIT_TIER_ITERATIONS = 1000;

/**
 * Iterations `from` (inclusive) to `to` of the run seeded `seed`, each built
 * and analysed; a line per failing iteration (at most five), with the
 * command that replays it. Empty when every oracle held.
 */
export async function fuzzFailures(
  arb: fc.Arbitrary<AnalyzeCase>, seeds: { complaints: Seed[]; evidence: Seed[] }, dir: string, seed: number, from: number, to: number,
): Promise<string[]> {
  const failures: string[] = [];
  for (let i = from; i < to && failures.length < 5; i++) {
    const c = caseAt(arb, seed, i);
    const problems = await runCase(buildCase(c, seeds), dir);
    if (problems.length) {
      failures.push(`iteration ${i} (replay: FUZZ_SEED=${seed} FUZZ_AT=${i}): complaint ${seeds.complaints[c.complaint].name}, evidence ${seeds.evidence[c.evidence].name} (${c.placement}): ${problems.join('; ')}`);
    }
  }
  return failures;
}

export function problemsOf(r: AnalysisResult, inputBytes: number): string[] {
  const out: string[] = [];
  const crashed = r.complaint.warnings.filter((w) => w.startsWith('complaint could not be understood'));
  if (crashed.length) out.push(`the complaint reader's catch-all fired: ${crashed.join('; ')}`);
  if (!(VERDICTS as readonly string[]).includes(r.verdict)) out.push(`verdict ${String(r.verdict)} is not one of ${VERDICTS.join(', ')}`);
  if (!(r.confidence >= 0 && r.confidence <= 1)) out.push(`confidence ${r.confidence} is not in [0, 1]`);
  let json = '';
  try {
    json = JSON.stringify(structuredClone(r));
    if (json !== JSON.stringify(r)) out.push('the result changes under structured clone: it is not plain data');
  } catch (err) {
    out.push(`the result is not plain data: ${err instanceof Error ? err.message : String(err)}`);
  }
  // The result names the complaint's attachments but holds neither its text nor their bytes; port ranges
  // written in a few characters expand to up to 10,000 ports each side; the draft and notes are text.
  if (json.length > 64 * inputBytes + 2 * 1024 * 1024) out.push(`the result is ${json.length} bytes of JSON for ${inputBytes} bytes of input`);
  const md = renderMarkdown(r);
  const tj = terminalJson(r);
  const raw = RAW_TERMINAL_CONTROLS.exec(md) ?? RAW_TERMINAL_CONTROLS.exec(tj);
  if (raw) out.push(`raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} reaches the terminal (${RAW_TERMINAL_CONTROLS.test(md) ? 'Markdown' : 'JSON'})`);
  return out;
}
