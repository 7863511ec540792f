import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../electron/common/contract';
import { DEFAULT_REPLY_SETTINGS, SMTP_SECURITY } from '../../../electron/common/reply-channels';

const smtp = { host: 'smtp.example.net', port: 587, security: 'starttls', user: 'desk', allowSelfSigned: false };
const message = (r: ReturnType<typeof parseRequest>): string => (r.ok ? '' : r.error.message);

describe('the reply channels\' schemas', () => {
  it('take an SMTP server by host name or address, a port, one of the security modes; no server at all is allowed', () => {
    expect(parseRequest('reply:setSettings', { fromAddress: 'abuse@example.net', signature: '', smtp }).ok).toBe(true);
    expect(parseRequest('reply:setSettings', { ...DEFAULT_REPLY_SETTINGS }).ok).toBe(true);
    expect(parseRequest('reply:setSettings', { fromAddress: '', signature: '', smtp: { ...smtp, host: '[2001:db8::25]' } }).ok).toBe(true);
    expect(message(parseRequest('reply:setSettings', { fromAddress: '', signature: '', smtp: { ...smtp, host: 'smtp example' } }))).toMatch(/not a host name or address/);
    expect(parseRequest('reply:setSettings', { fromAddress: '', signature: '', smtp: { ...smtp, port: 65536 } }).ok).toBe(false);
    expect(parseRequest('reply:setSettings', { fromAddress: '', signature: '', smtp: { ...smtp, security: 'ssl3' } }).ok).toBe(false);
    expect(SMTP_SECURITY).toEqual(['tls', 'starttls', 'plain']);
  });

  it('a signature of at most 2,000 characters; a recipient line without line breaks', () => {
    expect(parseRequest('reply:setSettings', { fromAddress: '', signature: 's'.repeat(2001), smtp: null }).ok).toBe(false);
    expect(message(parseRequest('reply:compose', { format: 'eml', subject: 's', body: 'b', to: 'a@x.example\r\nBcc: c@evil.example' }))).toMatch(/control characters/);
  });

  it('sends only with the operator\'s explicit yes, for a case and its draft', () => {
    const send = { caseId: 3, draftId: 4, subject: 'Re: scan', body: 'Hello', confirmed: true };
    expect(parseRequest('reply:send', send).ok).toBe(true);
    expect(parseRequest('reply:send', { ...send, confirmed: 'true' }).ok).toBe(false);
    expect(parseRequest('reply:send', { ...send, confirmed: false }).ok).toBe(false);
    expect(parseRequest('reply:send', { ...send, caseId: undefined }).ok).toBe(false);
  });
});
