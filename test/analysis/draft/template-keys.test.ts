import { describe, expect, it } from 'vitest';
import { REPORT_CLASSES, VERDICTS } from '../../../analysis/case-vocabulary';
import { fillGroupTemplate, groupTemplate } from '../../../analysis/draft/group-reply';
import { defaultTemplate, sameKey, TEMPLATE_KEYS, templateKeyLabel, templateKeyOf } from '../../../analysis/draft/template-keys';

const values = { reporter: { name: 'Alpha NOC' }, accused: '198.51.100.35', quotedLines: [], times: [] };

describe('reply template keys', () => {
  it('has one template per report class and verdict, each labelled apart', () => {
    expect(TEMPLATE_KEYS).toHaveLength(REPORT_CLASSES.length * VERDICTS.length);
    expect(new Set(TEMPLATE_KEYS.map(templateKeyLabel)).size).toBe(TEMPLATE_KEYS.length);
    expect(templateKeyLabel({ reportClass: 'network-abuse', verdict: 'backscatter' })).toBe('Network abuse · backscatter');
  });

  it('files a case by its report type, and network activities under network abuse', () => {
    expect(templateKeyOf('phishing', 'compromise')).toEqual({ reportClass: 'phishing', verdict: 'compromise' });
    expect(templateKeyOf('network-abuse', 'backscatter')).toEqual({ reportClass: 'network-abuse', verdict: 'backscatter' });
    for (const a of ['port-scan', 'flood', 'worm', 'other', null, undefined]) expect(templateKeyOf(a, 'legitimate').reportClass).toBe('network-abuse');
    expect(sameKey(templateKeyOf('spam', 'inconclusive'), { reportClass: 'spam', verdict: 'inconclusive' })).toBe(true);
    expect(sameKey(templateKeyOf('spam', 'inconclusive'), { reportClass: 'spam', verdict: 'compromise' })).toBe(false);
  });

  it('starts from the group reply\'s paragraphs: filled for a case without analysis, it reads as the group reply does', () => {
    for (const v of VERDICTS) {
      for (const [rc, activity] of [['network-abuse', 'other'], ['spam', 'spam'], ['phishing', 'phishing'], ['copyright', 'copyright']] as const) {
        const stored = fillGroupTemplate(defaultTemplate({ reportClass: rc, verdict: v }), { ...values, activity });
        const group = fillGroupTemplate(groupTemplate(v, activity), values);
        expect(stored.subject).toBe(group.subject);
        expect(stored.body.trimEnd()).toBe(group.body.trimEnd());
      }
    }
  });

  it('is different for each verdict of a class, and for each class of a verdict', () => {
    const bodies = TEMPLATE_KEYS.map((k) => fillGroupTemplate(defaultTemplate(k), { ...values, activity: k.reportClass === 'network-abuse' ? 'other' : k.reportClass }).body);
    // Backscatter and legitimate read alike for every report type that is not network abuse (report-templates.ts).
    expect(new Set(bodies).size).toBeGreaterThanOrEqual(REPORT_CLASSES.length * 2 + 2);
    expect(defaultTemplate({ reportClass: 'network-abuse', verdict: 'backscatter' }).body).toMatch(/backscatter[\s\S]*\{findings\}[\s\S]*\{signature\}[\s\S]*\{evidence\}/);
  });
});
