import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { runDetectors } from '../../../analysis/detect/registry';
import { leaningOf, weigh } from '../../../analysis/verdict/weigh';
import { casesDir } from '../../helpers/paths';
import { corpusContext } from '../detect/corpus';

const covered = { accusedEvents: 100, pairEvents: 50, timesCovered: 1, timesTotal: 1 };
const finding = (leaning: Finding['leaning'], strength: number, id = `${leaning}-${strength}`): Finding => ({ id, detector: 'test', leaning, strength, summary: id, evidence: [] });

describe('weighing findings into a verdict', () => {
  it.each([
    ['seed001-synflood-backscatter', 'www-border.pcap', ['198.51.100.80'], ['192.0.2.66']],
    ['seed003-udp770-compromise', 'lan-span.pcap', ['198.51.100.90'], []],
  ])('%s: the detectors\' findings weigh to the case\'s expected verdict', async (name, file, accused, targets) => {
    const expected = JSON.parse(readFileSync(join(casesDir, name, 'expected.json'), 'utf8')) as { verdict: string };
    const findings = runDetectors(await corpusContext(`cases/${name}/${file}`, accused, targets));
    const v = weigh(findings, covered, true);
    expect(v.verdict).toBe(expected.verdict);
    expect(v.confidence).toBeGreaterThanOrEqual(0.45);
    expect(v.reasons[0]).toBe([...findings].filter((f) => f.leaning !== 'context').sort((a, b) => b.strength - a.strength)[0].summary);
    expect(v.factors[0].reason).toBe(`the ${expected.verdict} findings taken together`);
  });

  it('independent findings reinforce each other (noisy-or), and thin evidence is inconclusive, never a guess', () => {
    expect(weigh([finding('compromise', 0.3), finding('compromise', 0.3, 'b')], covered, true).scores.compromise).toBeCloseTo(0.51, 5);
    const thin = weigh([finding('compromise', 0.4)], covered, true);
    expect([thin.verdict, thin.missing]).toEqual(['inconclusive', ['the evidence shows no pattern strong enough to decide']]);
  });

  it('names what is missing: no evidence, the accused never seen, the complaint\'s time not covered', () => {
    const f = [finding('backscatter', 0.9)];
    expect(weigh(f, covered, false).missing).toEqual(['no captures or logs from our side were attached']);
    expect(weigh(f, covered, false, 'x.bin could not be read').missing).toEqual(['x.bin could not be read']);
    expect(weigh(f, { ...covered, accusedEvents: 0 }, true).missing).toEqual(['our evidence never shows the accused address']);
    expect(weigh(f, { ...covered, timesCovered: 0 }, true).missing).toEqual(["our evidence does not cover the complaint's time window"]);
    expect(weigh([finding('context', 0), { ...finding('backscatter', 0.9), id: 'impossible-source' }], { ...covered, accusedEvents: 0 }, false).verdict).toBe('backscatter');
  });

  it('says what moved the confidence: a conflicting leaning, no time, part of the times, the clamp', () => {
    const v = weigh([finding('backscatter', 0.9), finding('compromise', 0.6)], { ...covered, timesTotal: 0, timesCovered: 0 }, true);
    expect(v.conflicting).toBe(true);
    expect(v.factors.map((f) => f.change)).toEqual([0.9, -0.36, -0.15]);
    expect(v.confidence).toBe(0.39);
    const partial = weigh([finding('legitimate', 0.99)], { ...covered, timesTotal: 3, timesCovered: 2 }, true);
    expect(partial.factors.map((f) => [f.reason, f.change])).toEqual([['the legitimate findings taken together', 0.99], ["our evidence covers 2 of the complaint's 3 times", -0.05]]);
    const sure = weigh([finding('legitimate', 1)], covered, true);
    expect([sure.confidence, sure.factors.at(-1)!.reason]).toEqual([0.98, 'kept between 30% and 98%: evidence is never certain']);
  });

  it('maps verdicts to leanings', () => {
    expect([leaningOf('backscatter'), leaningOf('compromise'), leaningOf('inconclusive')]).toEqual(['backscatter', 'compromise', undefined]);
  });
});
