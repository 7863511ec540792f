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

  it('orders network abuse by its leaning: compromise, then no clear leaning (repeats first), false positives last', () => {
    const compromise = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4 });
    const repeat = rankCase({ ...base, provisionalVerdict: 'inconclusive', reportsWeek: 1, reportsMonth: 2 });
    const other = rankCase({ ...base, provisionalVerdict: 'inconclusive' });
    const fp = rankCase({ ...base, provisionalVerdict: 'backscatter', provisionalConfidence: 0.7, reportsWeek: 5, reportsMonth: 5 });
    expect([compromise, repeat, other, fp].map((r) => r.queueClass)).toEqual(['compromise', 'other', 'other', 'false-positive']);
    expect(repeat).toMatchObject({ reason: 'no clear leaning yet; 2nd report about 198.51.100.90 in 30 days', repeat: true });
    expect(repeat.score).toBeGreaterThan(other.score);
    expect(other).toMatchObject({ reason: 'no clear leaning yet', repeat: false });
    expect(fp.reason).toMatch(/^likely backscatter; 5th report/);
    // Every row whose reason names other reports is in the Repeat view, whatever its class.
    expect(fp.repeat).toBe(true);
  });

  it('replaces the first look with the analysed verdict, inconclusive too, and ranks it above every first look of its class', () => {
    expect(rankCase({ ...base, verdict: 'legitimate', confidence: 0.9, provisionalVerdict: 'compromise', provisionalConfidence: 0.6 }))
      .toMatchObject({ queueClass: 'false-positive', reason: 'legitimate traffic (analysed, 90%)' });
    // An inconclusive analysis is the case's verdict now: no longer filed by the first look's leaning.
    expect(rankCase({ ...base, verdict: 'inconclusive', confidence: 0.52, provisionalVerdict: 'compromise', provisionalConfidence: 0.5 }))
      .toMatchObject({ queueClass: 'other', reason: 'inconclusive after analysis (52% sure nothing settles it)' });
    // A confirmed 98% compromise outranks a first look however repeated and ongoing.
    const confirmed = rankCase({ ...base, verdict: 'compromise', confidence: 0.98, provisionalVerdict: 'inconclusive', provisionalConfidence: 0.4 });
    const loud = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.7, reportsWeek: 40, reportsMonth: 60, reportsAround: 80, windowEnd: base.receivedAt - 60_000 });
    expect(confirmed).toMatchObject({ queueClass: 'compromise', reason: 'compromise (analysed, 98%)' });
    expect(loud.queueClass).toBe('compromise');
    expect(confirmed.score).toBeGreaterThan(loud.score);
    // An analysed false positive sinks below every first-look one.
    const sure = rankCase({ ...base, verdict: 'backscatter', confidence: 0.6 });
    const guess = rankCase({ ...base, provisionalVerdict: 'backscatter', provisionalConfidence: 0.7 });
    expect(sure.score).toBeLessThan(guess.score);
    const weak = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4 });
    const repeated = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4, reportsWeek: 4, reportsMonth: 4 });
    const ongoing = rankCase({ ...base, provisionalVerdict: 'compromise', provisionalConfidence: 0.4, windowEnd: base.receivedAt - 3_600_000 });
    expect(repeated.score).toBeGreaterThan(weak.score);
    expect(ongoing.score).toBeGreaterThan(weak.score);
    expect(ongoing.reason).toMatch(/reported within a day of the activity/);
    // Earlier reports about a host that was reported again later are repeats too.
    expect(rankCase({ ...base, reportsAround: 3 })).toMatchObject({ queueClass: 'other', reason: 'no clear leaning yet; first of 3 reports about 198.51.100.90 in 30 days', repeat: true });
  });

  it('files the other report types by type, with their own reason, ignoring the first look that weighs traffic', () => {
    const phishing = rankCase({ ...base, reportClass: 'phishing', reportDetail: 'http://customer1.tld/login/', provisionalVerdict: 'compromise', provisionalConfidence: 0.7, headline: 'UDP bursts' });
    expect(phishing).toMatchObject({ queueClass: 'phishing', reason: 'phishing report: http://customer1.tld/login/' });
    const spam = rankCase({ ...base, reportClass: 'spam', provisionalVerdict: 'compromise', provisionalConfidence: 0.7, reportsWeek: 8, reportsMonth: 8 });
    expect(spam).toMatchObject({ queueClass: 'spam', reason: 'spam report; 8th report about 198.51.100.90 this week', repeat: true });
    expect(rankCase({ ...base, reportClass: 'open-service', reportDetail: 'NTP (monlist)', provisionalVerdict: 'legitimate', provisionalConfidence: 0.6 }))
      .toMatchObject({ queueClass: 'open-service', reason: 'open service report: NTP (monlist)' });
    expect(rankCase({ ...base, reportClass: 'copyright' }).queueClass).toBe('copyright');
    expect(rankCase({ ...base, reportClass: 'malware-hosting' }).reason).toBe('malware hosting report');
    // Network abuse keeps the first look's verdict.
    expect(rankCase({ ...base, reportClass: 'network-abuse', provisionalVerdict: 'compromise', provisionalConfidence: 0.5 }).queueClass).toBe('compromise');
    // Analysed, the verdict is said; a confirmed one ranks above the unanalysed of its type.
    const analysed = rankCase({ ...base, reportClass: 'phishing', verdict: 'compromise', confidence: 0.9, headline: 'the page was served' });
    expect(analysed.reason).toBe('phishing report; analysed: compromise (90%): the page was served');
    expect(analysed.score).toBeGreaterThan(phishing.score);
    // An inconclusive run's number is not a confidence in a verdict: the reason says what it is.
    expect(rankCase({ ...base, reportClass: 'spam', verdict: 'inconclusive', confidence: 0.8 }).reason).toBe('spam report; analysed: inconclusive (80% sure nothing settles it)');
  });

  it('writes ordinals and queue-sized headlines', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
    expect(headlineOf('Bursts of UDP.  ')).toBe('Bursts of UDP');
    expect(headlineOf('word '.repeat(40), 30)).toMatch(/^(word ){5}word…$|^word( word)*…$/);
    expect(headlineOf('')).toBeNull();
  });
});
