/**
 * `npm run bench -- --only fuzz [--iterations N] [--seed S] [--budget-ms MS] [--fuzz-workers W]`:
 * the whole analyze path fuzzed (test/helpers/fuzz-analyze.ts: complaint and
 * evidence mutated together, mail structure included, run as the CLI runs
 * them, with its oracles) for N iterations (default 100,000), in W child
 * processes. Each iteration has a time budget: one that runs past it is a
 * hang (the worker is killed and a new one goes on after it); a failed
 * oracle, an exception or a dead worker (out of memory) is a crash. Prints
 * the seed and, for each crash and hang, the command that replays it
 * (`--at I` runs that one iteration here and prints what it was); exits 1
 * on any. Results also go to .bench/fuzz-results.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { analyzeCase, analyzeSeeds, buildCase, caseAt, fuzzDir, runCase } from '../test/helpers/fuzz-analyze';
import type { FuzzMessage } from './children/fuzz-analyze';

export interface FuzzOptions {
  iterations: number;
  seed: number;
  budgetMs: number;
  workers: number;
  /** Replay one iteration in this process instead of running the bench. */
  at?: number;
}

export const fuzzDefaults = (): FuzzOptions => ({
  iterations: 100_000,
  seed: Math.floor(Math.random() * 0x7fffffff),
  budgetMs: 10_000,
  workers: Math.max(1, Math.min(availableParallelism(), 4)),
});

interface Failure { i: number; kind: 'crash' | 'hang'; detail: string }

export interface FuzzResult {
  seed: number;
  iterations: number;
  completed: number;
  crashes: number;
  hangs: number;
  wallSeconds: number;
  perIterationMs: { median: number; p99: number; max: number; maxAt: number };
  failures: Failure[];
}

const replay = (o: FuzzOptions, i: number): string => `npm run bench -- --only fuzz --seed ${o.seed} --at ${i}`;

/** Run one iteration here: what it was, and what the oracles say. */
export async function replayFuzz(o: FuzzOptions & { at: number }): Promise<number> {
  const seeds = analyzeSeeds();
  const c = caseAt(analyzeCase(seeds), o.seed, o.at);
  console.log(`iteration ${o.at} of seed ${o.seed}: complaint ${seeds.complaints[c.complaint].name}, evidence ${seeds.evidence[c.evidence].name} (${c.placement})`);
  console.log(JSON.stringify({ evidenceMutations: c.evidenceMutations, structural: c.structural, bytewise: c.bytewise }));
  const { dir, remove } = fuzzDir();
  const t0 = performance.now();
  try {
    const problems = await runCase(buildCase(c, seeds), dir);
    console.log(`${(performance.now() - t0).toFixed(0)} ms; ${problems.length ? problems.join('\n') : 'every oracle holds'}`);
    return problems.length ? 1 : 0;
  } finally {
    remove();
  }
}

export async function runFuzzBench(o: FuzzOptions, root: string): Promise<FuzzResult> {
  console.log(`analyze fuzz: seed ${o.seed}, ${o.iterations} iterations, ${o.workers} worker(s), budget ${o.budgetMs} ms per iteration`);
  const t0 = performance.now();
  const failures: Failure[] = [];
  const times: number[] = [];
  let completed = 0;
  let maxMs = 0;
  let maxAt = -1;

  const lane = (w: number): Promise<void> => new Promise((laneDone) => {
    let current: { i: number; since: number } | undefined;
    let child: ChildProcess | undefined;
    let lastDone = w - o.workers;
    let stderr = '';
    const start = (from: number): void => {
      if (from >= o.iterations) { laneDone(); return; }
      stderr = '';
      current = undefined;
      child = fork(join(root, 'bench/children/fuzz-analyze.ts'), [o.seed, from, o.workers, o.iterations].map(String), {
        cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
      child.on('message', (m: FuzzMessage) => {
        if (m.type === 'start') { current = { i: m.i, since: performance.now() }; return; }
        current = undefined;
        lastDone = m.i;
        completed++;
        times.push(m.ms);
        if (m.ms > maxMs) { maxMs = m.ms; maxAt = m.i; }
        if (m.problems.length) failures.push({ i: m.i, kind: 'crash', detail: m.problems.join('; ').slice(0, 2000) });
        else if (m.ms > o.budgetMs) failures.push({ i: m.i, kind: 'hang', detail: `finished in ${Math.round(m.ms)} ms, over the ${o.budgetMs} ms budget` });
      });
      const watch = setInterval(() => {
        if (current && performance.now() - current.since > o.budgetMs) {
          failures.push({ i: current.i, kind: 'hang', detail: `still running after ${o.budgetMs} ms: killed` });
          completed++;
          lastDone = current.i;
          current = undefined;
          child!.kill('SIGKILL');
        }
      }, 250);
      child.on('exit', (code, signal) => {
        clearInterval(watch);
        if (current) {
          // Died inside an iteration: out of memory, or a crash below JavaScript.
          failures.push({ i: current.i, kind: 'crash', detail: `worker died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-5).join(' | ')}` });
          completed++;
          lastDone = current.i;
        } else if (code !== 0 && signal !== 'SIGKILL' && lastDone + o.workers < o.iterations) {
          failures.push({ i: lastDone + o.workers, kind: 'crash', detail: `worker failed between iterations (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-5).join(' | ')}` });
          lastDone += o.workers;
          completed++;
        }
        start(lastDone + o.workers);
      });
    };
    start(w);
  });

  const progress = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    console.log(`  ${completed}/${o.iterations} in ${s.toFixed(0)} s (${(completed / s).toFixed(0)}/s): ${failures.filter((f) => f.kind === 'crash').length} crashes, ${failures.filter((f) => f.kind === 'hang').length} hangs`);
  }, 30_000);
  await Promise.all(Array.from({ length: o.workers }, (_, w) => lane(w)));
  clearInterval(progress);

  times.sort((a, b) => a - b);
  const q = (p: number): number => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0);
  failures.sort((a, b) => a.i - b.i);
  const result: FuzzResult = {
    seed: o.seed, iterations: o.iterations, completed,
    crashes: failures.filter((f) => f.kind === 'crash').length,
    hangs: failures.filter((f) => f.kind === 'hang').length,
    wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
    perIterationMs: { median: q(0.5), p99: q(0.99), max: Math.round(maxMs), maxAt },
    failures,
  };
  console.log('');
  console.log(`analyze fuzz, seed ${o.seed} (replay: ${replay(o, 0).replace(/ --at 0$/, '')}):`);
  console.log(`  ${completed} iterations in ${result.wallSeconds} s: ${result.crashes} crashes, ${result.hangs} hangs`);
  console.log(`  per iteration: median ${result.perIterationMs.median} ms, p99 ${result.perIterationMs.p99} ms, slowest ${result.perIterationMs.max} ms (iteration ${maxAt})`);
  for (const f of failures.slice(0, 50)) console.log(`  ${f.kind} at iteration ${f.i}: ${f.detail}\n    replay: ${replay(o, f.i)}`);
  if (failures.length > 50) console.log(`  ... and ${failures.length - 50} more in .bench/fuzz-results.json`);
  const out = join(root, '.bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'fuzz-results.json'), `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`);
  console.log(`\nresults written to ${join(out, 'fuzz-results.json')}`);
  return result;
}
