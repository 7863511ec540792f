import type { Run } from './measure';

/**
 * One figure from a command timed several times (`--repeat N`). The host's
 * speed drifts by a third over minutes, and not alike for every program, so
 * a single run of analyze and a single run of tshark taken minutes apart
 * give a ratio only as good as the host was steady between them. Rounds
 * interleave the tools (every tool once per round) and each tool's figure
 * is its median run: its wall and CPU seconds, with the highest peak RSS of
 * all its runs (the memory goal is about the worst run). A run that failed
 * or was stopped is the figure itself, so that no failure hides behind a
 * median.
 */
export function combineRuns(runs: Run[]): Run {
  if (runs.length === 0) throw new Error('no run to combine');
  const bad = runs.find((r) => r.killed || r.exitCode !== 0);
  if (bad) return bad;
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[(sorted.length - 1) >> 1];
  const rss = runs.map((r) => r.peakRssMB).filter((m): m is number => m !== null);
  return { ...median, peakRssMB: rss.length ? Math.max(...rss) : median.peakRssMB };
}
