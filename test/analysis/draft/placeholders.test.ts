import { describe, expect, it } from 'vitest';
import { fillGroupTemplate, GROUP_PLACEHOLDERS, groupTemplate } from '../../../analysis/draft/group-reply';
import { PLACEHOLDERS, PLACEHOLDER_TOKENS, unknownPlaceholderMessage, unknownPlaceholders } from '../../../analysis/draft/placeholders';
import { defaultTemplate, TEMPLATE_KEYS } from '../../../analysis/draft/template-keys';

const values = { reporter: { name: 'Alpha NOC', address: 'abuse@alpha.example' }, accused: '198.51.100.35', quotedLines: [], times: [] };

describe('the placeholder table', () => {
  it('is the group reply editor\'s list, and every placeholder it names is filled', () => {
    expect(GROUP_PLACEHOLDERS).toEqual(PLACEHOLDER_TOKENS);
    const all = PLACEHOLDER_TOKENS.join('\n');
    const filled = fillGroupTemplate({ subject: 'Re: {subject}', body: all }, {
      ...values, quotedLines: ['Dec 18 00:40:01 fw kernel: DROP SRC=198.51.100.35'], times: [Date.UTC(2025, 11, 18, 0, 40) * 1000],
      subject: 'scan', customer: 'Example Hosting Ltd', caseId: 12, activity: 'port-scan', findings: ['- a finding'], evidence: 'the table', signature: 'Jo\nExample ISP',
    }).body;
    expect(filled).not.toMatch(/[{}]/);
    expect(filled.split('\n')).toEqual([
      'Dear Alpha NOC,', 'Alpha NOC', 'Alpha NOC <abuse@alpha.example>', '198.51.100.35', 'Example Hosting Ltd', 'a port scan from 198.51.100.35', 'scan',
      '2025-12-18 00:40:00 UTC', 'Dec 18 00:40:01 fw kernel: DROP SRC=198.51.100.35', '- a finding', 'the table', '12', 'Jo', 'Example ISP',
    ]);
  });

  it('leaves out a line whose value is unknown, with its lead-in, and signs "Abuse desk" without a signature', () => {
    const t = { subject: 'Re: {subject}', body: 'Hello,\n\nWe told our customer {customer}.\nok\n\nWhat we found:\n{findings}\n\nRegards,\n{signature}' };
    expect(fillGroupTemplate(t, values).body).toBe('Hello,\n\nok\n\nRegards,\nAbuse desk');
    expect(fillGroupTemplate(t, { ...values, customer: null, signature: '  ' }).body).toBe('Hello,\n\nok\n\nRegards,\nAbuse desk');
  });

  it('names the placeholders it does not know, once each, and leaves prose in braces alone', () => {
    expect(unknownPlaceholders('Dear {reporter}, {custmer} {custmer} {Accused} { see below } {evidence}')).toEqual(['{custmer}', '{Accused}']);
    expect(unknownPlaceholders(PLACEHOLDER_TOKENS.join(' '))).toEqual([]);
    expect(unknownPlaceholderMessage(['{custmer}'])).toMatch(/^unknown placeholder \{custmer\} \(known: \{greeting\} .*\{customer\}/);
    expect(unknownPlaceholderMessage(['{a}', '{b}'])).toMatch(/^unknown placeholders \{a\}, \{b\}/);
  });

  it('the built-in templates use only known placeholders, and each one is explained', () => {
    for (const k of TEMPLATE_KEYS) {
      const t = defaultTemplate(k);
      expect(unknownPlaceholders(`${t.subject}\n${t.body}`)).toEqual([]);
    }
    for (const v of ['backscatter', 'legitimate', 'compromise', 'inconclusive'] as const) expect(unknownPlaceholders(groupTemplate(v, 'spam').body)).toEqual([]);
    for (const p of PLACEHOLDERS) expect(p.says.length).toBeGreaterThan(10);
    expect(new Set(PLACEHOLDERS.map((p) => p.name)).size).toBe(PLACEHOLDERS.length);
  });
});
