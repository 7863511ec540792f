import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/paths';

/**
 * A child that keeps ~40 MB live and promotes garbage steadily (objects that
 * live a few collections, as a SYN waiting for its answer does), and prints
 * the largest old space it saw: with the policy, and without.
 */
function largestOldSpaceMB(tight: boolean): number {
  const script = `
    ${tight ? "const { keepHeapTight } = await import('./services/io/heap-policy.ts'); keepHeapTight();" : ''}
    const { getHeapSpaceStatistics } = await import('node:v8');
    const live = Array.from({ length: 400_000 }, (_, i) => ({ i, s: 'x' + i }));
    let held = [];
    let most = 0;
    for (let round = 0; round < 100; round++) {
      for (let k = 0; k < 20_000; k++) held.push({ round, k, pad: [k, k + 1, k + 2] });
      if (held.length > 200_000) held = held.slice(100_000);
      const old = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
      most = Math.max(most, old.space_size);
    }
    console.log(Math.round(most / 1e6), live.length);
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  return Number(out.split(' ')[0]);
}

describe('heap policy of the analysing process', () => {
  it('keeps the old space near what is live instead of letting garbage pile up to several times it', () => {
    const loose = largestOldSpaceMB(false);
    const tight = largestOldSpaceMB(true);
    expect(tight).toBeLessThan(loose * 0.8);
  }, 30_000);
});
