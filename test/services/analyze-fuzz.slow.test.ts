import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCase, analyzeSeeds, fuzzDir, fuzzFailures, UNIT_TIER_ITERATIONS } from '../helpers/fuzz-analyze';
import { fuzzRuns, fuzzSeed, seedLabel } from '../helpers/fuzz-seed';

/**
 * The analyze fuzz of analyze-fuzz.test.ts, longer: iterations the unit
 * tier's run of the same seed did not reach (about 40 s on 2 cores).
 * One iteration replays with FUZZ_SEED=<seed> FUZZ_AT=<iteration> in the
 * unit tier's file.
 */
const runs = fuzzRuns(6000);
const seeds = analyzeSeeds();
const arb = analyzeCase(seeds, { light: true });
const { dir, remove } = fuzzDir();
afterAll(remove);

describe(`analyze fuzz, the long run, ${seedLabel()}`, () => {
  it(`iterations ${UNIT_TIER_ITERATIONS} to ${UNIT_TIER_ITERATIONS + runs}: every oracle holds`, async () => {
    expect(await fuzzFailures(arb, seeds, dir, fuzzSeed, UNIT_TIER_ITERATIONS, UNIT_TIER_ITERATIONS + runs)).toEqual([]);
  }, 900_000);
});
