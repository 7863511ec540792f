/**
 * One worker of the analyze fuzz bench (bench/fuzz.ts): runs iterations
 * `from`, `from + stride`, ... below `end` of the run seeded `seed`, telling
 * the parent when each starts and how it ended, so the parent can time it,
 * kill it past its budget and start a new worker after it.
 */
import { analyzeCase, analyzeSeeds, buildCase, caseAt, fuzzDir, runCase } from '../../test/helpers/fuzz-analyze';

export type FuzzMessage =
  | { type: 'start'; i: number }
  | { type: 'done'; i: number; ms: number; problems: string[] };

const [seed, from, stride, end] = process.argv.slice(2).map(Number);
const send = (m: FuzzMessage): Promise<void> => new Promise((done) => { process.send!(m, undefined, {}, () => done()); });

const seeds = analyzeSeeds();
const arb = analyzeCase(seeds);
const { dir, remove } = fuzzDir();
try {
  for (let i = from; i < end; i += stride) {
    const built = buildCase(caseAt(arb, seed, i), seeds);
    await send({ type: 'start', i });
    const t0 = performance.now();
    let problems: string[];
    try {
      problems = await runCase(built, dir);
    } catch (err) {
      problems = [`the harness threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`];
    }
    await send({ type: 'done', i, ms: performance.now() - t0, problems });
  }
} finally {
  remove();
}
process.disconnect();
