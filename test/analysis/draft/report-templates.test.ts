import { describe, expect, it } from 'vitest';
import { REPORT_CLASSES, VERDICTS } from '../../../analysis/case-vocabulary';
import { reportKind, reportKindLabel, reportWords, verdictParagraphs } from '../../../analysis/draft/report-templates';

const CONTENT = REPORT_CLASSES.filter((c) => c !== 'network-abuse');
const NETWORK = ['port-scan', 'sweep', 'flood', 'brute-force', 'worm', 'other'];

describe('reply paragraphs per report type', () => {
  it('every report class but network abuse is its own kind; network activities are "network"', () => {
    for (const c of CONTENT) expect(reportKind(c)).toBe(c);
    for (const a of NETWORK) expect(reportKind(a)).toBe('network');
  });

  it('every kind and verdict has paragraphs, all but the inconclusive network one naming the accused through {accused}; every activity has words and a label', () => {
    for (const a of [...CONTENT, ...NETWORK]) {
      expect(reportWords(a)).toContain('{accused}');
      expect(reportKindLabel(a).length).toBeGreaterThan(2);
      for (const v of VERDICTS) {
        const p = verdictParagraphs(v, a);
        expect(p.length, `${v} ${a}`).toBeGreaterThanOrEqual(2);
        if (!(v === 'inconclusive' && reportKind(a) === 'network')) expect(p.join(' '), `${v} ${a}`).toContain('{accused}');
      }
    }
  });

  it('an inconclusive network report asks for their logs; an inconclusive content report says what we did, claiming nothing of our records', () => {
    expect(verdictParagraphs('inconclusive', 'port-scan')[1]).toMatch(/^Could you send us the log lines or flow records/);
    for (const c of CONTENT) {
      const text = verdictParagraphs('inconclusive', c).join(' ');
      expect(text, c).not.toMatch(/records confirm/);
      expect(text, c).toMatch(/(passed your report|forwarded your notice|asked the customer)/);
    }
  });

  it('only a compromise says our records confirm it; backscatter and legitimate need no action', () => {
    for (const a of [...CONTENT, ...NETWORK]) {
      expect(verdictParagraphs('compromise', a)[0], a).toMatch(/^Our records confirm/);
      for (const v of ['backscatter', 'legitimate'] as const) expect(verdictParagraphs(v, a).at(-1)).toBe('No action is needed on our side. Please get in touch if you see anything else.');
    }
    expect(verdictParagraphs('backscatter', 'flood')[0]).toContain('Our captures show the incoming flood');
    expect(verdictParagraphs('backscatter', 'spam')[0]).not.toContain('captures');
  });
});
