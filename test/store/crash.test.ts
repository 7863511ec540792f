/**
 * Crash safety at chosen points: a child process saving cases kills itself
 * (SIGKILL) in the middle of its second save, at a point named in advance
 * (children/save-loop.ts), and the store must come out intact with exactly the
 * saves that committed. Two chains run side by side, each on its own store,
 * each child opening the store the previous one left behind. The many-round
 * version, with two writers at once and kills from outside, is
 * crash.slow.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStore, runChild, vaultTemp, type ChildOutcome } from './crash-helpers';
import { tempDir } from './helpers';

/** Kill points: in the evidence copy, on BEGIN, after the case / evidence / run / draft rows, on COMMIT, after the commit. */
const CHAINS = [
  ['vault', 'begin', 'call:11', 'commit'],
  ['call:3', 'call:14', 'call:32', 'unreported'],
];

async function chain(dataDir: string, name: string, points: string[]): Promise<ChildOutcome[]> {
  const out: ChildOutcome[] = [];
  for (const [i, point] of points.entries()) {
    const ch = await runChild(dataDir, `${name}${i}`, { after: 1, point });
    expect(ch.reported, `${ch.tag} at ${point}`).toHaveLength(1);
    // A copy cut short leaves its temporary file until the next open of the store.
    if (point === 'vault') expect(vaultTemp(dataDir).filter((f) => f.startsWith(`${ch.pid}-`))).toHaveLength(1);
    out.push(ch);
  }
  return out;
}

describe('crash safety', () => {
  it('SIGKILL at chosen points of a save never corrupts the store, never loses a reported case, never keeps half a case', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const dirs = CHAINS.map((_, i) => join(dir, `store${i}`, 'data'));
      const outcomes = await Promise.all(CHAINS.map((points, i) => chain(dirs[i], String.fromCharCode(97 + i), points)));
      for (const [i, d] of dirs.entries()) await checkStore(d, outcomes[i]);
    } finally {
      await cleanup();
    }
  });
});
