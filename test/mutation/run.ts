/**
 * Mutation check of the detectors (`npm run test:mutation`): applies one
 * edit at a time to analysis/detect/*.ts, analysis/sensors/*.ts and analysis/triage/checks/*.ts
 * (a threshold moved, a message's words dropped), runs the unit tests that
 * see detector output (SUITES) against it, and counts the edits they catch. The source is
 * restored after every edit, also on Ctrl-C.
 *
 *   npm run test:mutation [-- --only brute-force] [-- --limit 8]
 *   npm run test:mutation -- --recheck .scratch/mutation.json   (only the survivors of an earlier run)
 *   npm run test:mutation -- --suite test/analysis/triage         (a narrower suite: a catch there is a catch)
 *   npm run test:mutation -- --own                                (the edited file's own tests and the whole-case suites only:
 *                                                                 fewer catches possible, so a lower bound, in less time)
 *
 * Before any edit the suites run once on the source as it is: a suite that
 * already fails would count every edit as caught, so the run stops instead.
 *
 * Prints each survivor (file:line, before -> after) and the share caught;
 * writes the whole table to .scratch/mutation.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { apply, mutantsOf, type Mutant } from './mutants';

const root = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const only = opt('only');
const limit = Number(opt('limit') ?? 6);
const recheck = opt('recheck');
const own = args.includes('--own');
/** Whole-case suites: every edit to a detector can show in a verdict, a finding or a reply. */
const WHOLE_CASE = ['test/analysis/seeds', 'test/analysis/pipeline', 'test/analysis/draft', 'test/analysis/no-seed-literals.test.ts'];
/** Survivors of an earlier run, found again by their edit (offsets move when the source changes). */
const earlier: Mutant[] | undefined = recheck ? (JSON.parse(readFileSync(recheck, 'utf8')) as Array<Mutant & { caught: boolean }>).filter((m) => !m.caught) : undefined;
const NOT_DETECTORS = new Set(['common.ts', 'detector.ts', 'excerpt.ts', 'registry.ts']);

const dirs = ['analysis/detect', 'analysis/sensors', 'analysis/triage/checks'];
/** The unit tests that can see a detector's output: its own, the triage checks, and the whole case through the pipeline and the draft. */
const SUITES = opt('suite') ? [opt('suite')!] : ['test/analysis/detect', 'test/analysis/sensors', 'test/analysis/triage', 'test/analysis/seeds', 'test/analysis/pipeline', 'test/analysis/draft', 'test/analysis/no-seed-literals.test.ts'];
const files = dirs.flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.ts') && !NOT_DETECTORS.has(f)).map((f) => join(root, d, f)))
  .filter((f) => !only || f.includes(only));

/** Spread the picks over the file: thresholds first, then comparisons and messages in source order. */
function pick(ms: Mutant[]): Mutant[] {
  const order = { threshold: 0, message: 1, comparison: 2, capacity: 3 };
  const sorted = [...ms].sort((a, b) => order[a.kind] - order[b.kind] || a.start - b.start);
  if (sorted.length <= limit) return sorted;
  const step = sorted.length / limit;
  return Array.from({ length: limit }, (_, i) => sorted[Math.floor(i * step)]);
}

/** The tests named after the edited file (brute-force.ts: test/analysis/detect/brute-force*), a triage check's folder, and the whole-case suites. */
function ownSuites(file: string): string[] {
  const rel = relative(root, file);
  const base = rel.split('/').pop()!.replace(/\.ts$/, '');
  // A sensor's thresholds are read by the sensor's own tests and the ids-replay detector's.
  if (rel.startsWith('analysis/sensors/')) return [`test/analysis/sensors/${base}.test.ts`, 'test/analysis/detect/ids-replay.test.ts', 'test/analysis/detect/ids-replay-thresholds.test.ts', 'test/analysis/triage', ...WHOLE_CASE].filter((f) => existsSync(join(root, f)));
  const dir = rel.startsWith('analysis/triage/checks/') ? 'test/analysis/triage' : 'test/analysis/detect';
  const named = readdirSync(join(root, dir), { recursive: true }).map(String)
    .filter((f) => f.split('/').pop()!.startsWith(base) && f.endsWith('.test.ts') && !f.endsWith('.slow.test.ts'))
    .map((f) => join(dir, f));
  return [...(rel.startsWith('analysis/triage/checks/') ? [dir] : named), ...WHOLE_CASE];
}

function vitest(suites: string[]) {
  return spawnSync('npx', ['vitest', 'run', '--project', 'node', '--bail', '1', '--reporter', 'dot', ...suites], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
}

const baseline = vitest(SUITES);
if (baseline.status !== 0) {
  console.error(`The suites fail before any edit (exit ${baseline.status}); every edit would look caught. Fix them first:\n${(baseline.stdout + baseline.stderr).slice(-2000)}`);
  process.exit(2);
}

let restore: (() => void) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { restore?.(); process.exit(130); });

const results: Array<Mutant & { caught: boolean; seconds: number }> = [];
for (const file of files) {
  const original = readFileSync(file, 'utf8');
  const all = mutantsOf(relative(root, file), original);
  const chosen = earlier
    // The same edit (kind, before, after) nearest the line it had: "0" -> "1" occurs on many lines of a file.
    ? earlier.filter((e) => e.file === relative(root, file))
      .map((e) => all.filter((m) => m.kind === e.kind && m.before === e.before && m.after === e.after).sort((a, b) => Math.abs(a.line - e.line) - Math.abs(b.line - e.line))[0])
      .filter((m): m is Mutant => m !== undefined)
    : pick(all);
  for (const m of chosen) {
    writeFileSync(file, apply(original, m));
    restore = () => writeFileSync(file, original);
    const t = Date.now();
    const run = vitest(own ? ownSuites(file) : SUITES);
    restore();
    restore = undefined;
    const caught = run.status !== 0;
    const seconds = Math.round((Date.now() - t) / 1000);
    results.push({ ...m, caught, seconds });
    process.stdout.write(`${caught ? 'caught  ' : 'SURVIVED'} ${m.file}:${m.line} ${m.kind}: ${JSON.stringify(m.before).slice(0, 60)} -> ${JSON.stringify(m.after).slice(0, 60)} (${seconds} s)\n`);
  }
}

const scored = results.filter((r) => r.kind !== 'capacity');
const caught = scored.filter((r) => r.caught).length;
mkdirSync(join(root, '.scratch'), { recursive: true });
writeFileSync(join(root, '.scratch', recheck ? 'mutation-recheck.json' : 'mutation.json'), JSON.stringify(results, null, 2));
console.log(`\n${caught} of ${scored.length} threshold, comparison and message mutants caught (${scored.length ? Math.round((100 * caught) / scored.length) : 0}%)`);
for (const r of scored.filter((x) => !x.caught)) console.log(`  survivor: ${r.file}:${r.line} ${r.kind} ${r.before.slice(0, 50)} -> ${r.after.slice(0, 50)}`);
const capacity = results.filter((r) => r.kind === 'capacity');
if (capacity.length) console.log(`capacity bounds moved (not scored): ${capacity.map((r) => `${r.file}:${r.line} ${r.caught ? 'caught' : 'unnoticed'}`).join(', ')}`);
process.exitCode = scored.length && caught / scored.length >= 0.8 ? 0 : 1;
