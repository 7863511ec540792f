import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_TOKENS } from '../../../analysis/draft/placeholders';
import { defaultTemplate, TEMPLATE_KEYS } from '../../../analysis/draft/template-keys';
import { parseRequest } from '../../../electron/common/contract';

const key = { reportClass: 'network-abuse', verdict: 'backscatter' } as const;
const message = (r: ReturnType<typeof parseRequest>): string => (r.ok ? '' : r.error.message);

describe('the template channels\' schemas', () => {
  it('accept every built-in template and every placeholder', () => {
    for (const k of TEMPLATE_KEYS) expect(parseRequest('templates:set', { ...k, ...defaultTemplate(k) }).ok).toBe(true);
    expect(parseRequest('templates:set', { ...key, subject: 'Re: {subject}', body: PLACEHOLDER_TOKENS.join('\n'), expectedVersion: 0 }).ok).toBe(true);
    expect(parseRequest('templates:preview', { ...key, subject: 'Re: {subject}', body: '{evidence}', caseId: 4 }).ok).toBe(true);
  });

  it('name each unknown placeholder, in the subject and in the body apart', () => {
    const r = parseRequest('templates:set', { ...key, subject: 'Re: {subjct}', body: 'Dear {reporter}, {cutomer} {cutomer}' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(message(r)).toMatch(/subject: unknown placeholder \{subjct\} \(known: .*; body: unknown placeholder \{cutomer\} \(/);
    // The preview refuses them too, so what is previewed is what can be saved.
    expect(message(parseRequest('templates:preview', { ...key, subject: 's', body: '{Accused}', caseId: 1 }))).toMatch(/body: unknown placeholder \{Accused\}/);
  });

  it('refuse an empty text, a subject of two lines, an unknown class or verdict and extra fields', () => {
    expect(message(parseRequest('templates:set', { ...key, subject: 's', body: '  \n' }))).toMatch(/body: empty: reset the template/);
    expect(message(parseRequest('templates:set', { ...key, subject: 'a\nBcc: x@example.com', body: 'b' }))).toMatch(/subject: one line/);
    expect(message(parseRequest('templates:get', { reportClass: 'network-abuse', verdict: 'guilty' }))).toMatch(/verdict/);
    expect(message(parseRequest('templates:reset', { reportClass: 'scan', verdict: 'compromise' }))).toMatch(/reportClass/);
    expect(message(parseRequest('templates:list', { all: true }))).toMatch(/all/);
    expect(message(parseRequest('templates:preview', { ...key, subject: 's', body: 'b', caseId: 0 }))).toMatch(/caseId/);
    expect(message(parseRequest('templates:set', { ...key, subject: 's', body: 'x'.repeat(64 * 1024 + 1) }))).toMatch(/body/);
  });
});
