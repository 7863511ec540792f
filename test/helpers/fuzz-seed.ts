/**
 * Seeds and run counts for the property tests. Every run draws a fresh seed
 * (so the suite keeps exploring new inputs) and prints it; a failure is
 * replayed exactly with `FUZZ_SEED=<seed>`. `FUZZ_RUNS=<n>` overrides the
 * number of runs per property (e.g. to soak one fixture locally).
 */

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name}=${raw} is not an integer`);
  return n;
}

/** The seed of this run: FUZZ_SEED when set, else a random 31-bit integer. */
export const fuzzSeed: number = intFromEnv('FUZZ_SEED') ?? Math.floor(Math.random() * 0x7fffffff);

/** Runs per property: FUZZ_RUNS when set, else the tier's default. */
export function fuzzRuns(tierDefault: number): number {
  return intFromEnv('FUZZ_RUNS') ?? tierDefault;
}

/** "seed 123 (replay: FUZZ_SEED=123)", for describe titles so the seed is in every report. */
export function seedLabel(): string {
  return `seed ${fuzzSeed} (replay: FUZZ_SEED=${fuzzSeed})`;
}

/** fast-check parameters for one property: the run's seed and run count. */
export function fcParams(runs: number): { seed: number; numRuns: number } {
  return { seed: fuzzSeed, numRuns: runs };
}
