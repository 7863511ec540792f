import { describe, expect, it } from 'vitest';
import { headlineOf, ordinal, rankCase, type RankInput } from '../../../analysis/triage/rank';

const base: RankInput = {
  verdict: null, confidence: null, provisionalVerdict: null, provisionalConfidence: null, headline: null, accused: '198.51.100.90',
  reportsWeek: 1, reportsMonth: 1, windowEnd: null, receivedAt: Date.UTC(2025, 11, 18),
};

describe('rankCase', () => {
  it('says why, in words: likely compromise with its headline and the repeat count', () => {
    const r = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.6, headline: 'UDP bursts from port 770', reportsWeek: 3, reportsMonth: 3 });
    expect(r.queueClass).toBe('compromise');
    expect(r.reason).toBe('likely compromise: UDP bursts from port 770; 3rd report about 198.51.100.90 this week');
  });

  it('orders compromise before repeats before the rest before false positives', () => {
    const compromise = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4 });
    const repeat = rankCase({ ...base, provisionalVerdict: 'inconclusive', reportsWeek: 1, reportsMonth: 2 });
    const other = rankCase({ ...base, provisionalVerdict: 'inconclusive' });
    const fp = rankCase({ ...base, provisionalVerdict: 'backscatter', provisionalConfidence: 0.7, reportsWeek: 5, reportsMonth: 5 });
    expect([compromise, repeat, other, fp].map((r) => r.queueClass)).toEqual(['compromise', 'repeat', 'other', 'false-positive']);
    expect(repeat.reason).toBe('repeat: 2nd report about 198.51.100.90 in 30 days');
    expect(other.reason).toBe('no clear leaning yet');
    expect(fp.reason).toMatch(/^likely backscatter; 5th report/);
  });

  it('lets a full verdict outrank the provisional one, and ranks surer, repeated, ongoing compromise higher', () => {
    expect(rankCase({ ...base, verdict: 'legitimate', confidence: 0.9, provisionalVerdict: 'compromise', provisionalConfidence: 0.6 }))
      .toMatchObject({ queueClass: 'false-positive', reason: 'legitimate traffic' });
    // An inconclusive full analysis leaves the first look's leaning in place.
    expect(rankCase({ ...base, verdict: 'inconclusive', confidence: 0.3, provisionalVerdict: 'compromise', provisionalConfidence: 0.5 }).queueClass).toBe('compromise');
    const weak = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4 });
    const repeated = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4, reportsWeek: 4, reportsMonth: 4 });
    const ongoing = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4, windowEnd: base.receivedAt - 3_600_000 });
    expect(repeated.score).toBeGreaterThan(weak.score);
    expect(ongoing.score).toBeGreaterThan(weak.score);
    expect(ongoing.reason).toMatch(/reported within a day of the activity/);
    // Earlier reports about a host that was reported again later are repeats too.
    expect(rankCase({ ...base, reportsAround: 3 })).toMatchObject({ queueClass: 'repeat', reason: 'repeat: first of 3 reports about 198.51.100.90 in 30 days' });
  });

  it('writes ordinals and queue-sized headlines', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
    expect(headlineOf('Bursts of UDP.  ')).toBe('Bursts of UDP');
    expect(headlineOf('word '.repeat(40), 30)).toMatch(/^(word ){5}word…$|^word( word)*…$/);
    expect(headlineOf('')).toBeNull();
  });
});
