/**
 * Crash safety over many rounds (slow tier): one store, children saving cases
 * killed at seeded points, two writers at once in every other round. Each
 * child dies at a kill point of its own (children/save-loop.ts: in the
 * evidence copy, after any of the save's database calls, after the commit) or
 * is killed from outside a seeded delay after its first report, which lands
 * anywhere, also inside SQLite's work on its own thread. The seed is printed;
 * CRASH_SEED=n replays the same choices (the outside kills land where the
 * machine's speed puts them).
 */
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { checkStore, runChild, type ChildOutcome, type Crash } from './crash-helpers';
import { tempDir } from './helpers';

const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 40;
/** Database calls in one save (children/save-loop.ts counts them; 40 when written). */
const CALLS_PER_SAVE = 40;

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(r: () => number): Crash {
  const after = Math.floor(r() * 3);
  const k = Math.floor(r() * 6);
  if (k === 0) return { killAfterMs: Math.floor(r() * 250) };
  if (k === 1) return { after, point: 'vault' };
  if (k === 2) return { after, point: 'commit' };
  if (k === 3) return { after, point: 'unreported' };
  return { after, point: `call:${1 + Math.floor(r() * (CALLS_PER_SAVE - 1))}` };
}

describe('crash safety, many rounds', () => {
  it(`SIGKILL anywhere in ${ROUNDS} rounds, one or two writers, never corrupts the store nor loses a case reported saved (seed ${seed}; replay with CRASH_SEED=${seed})`, async () => {
    console.log(`crash rounds: seed ${seed} (CRASH_SEED=${seed} replays it)`);
    const r = rng(seed);
    const { dir, cleanup } = await tempDir();
    const dataDir = join(dir, 'data');
    const outcomes: ChildOutcome[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const runs = [runChild(dataDir, `r${i}a`, pick(r))];
        if (i % 2) runs.push(runChild(dataDir, `r${i}b`, pick(r)));
        outcomes.push(...(await Promise.all(runs)));
      }
      await checkStore(dataDir, outcomes);
    } finally {
      await cleanup();
    }
  });
});
