import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cookieValue, offeredToken, sameToken, tokenCookie, tokenCookieName, withoutToken } from '../../../host/serve/token-gate';

const req = (headers: Record<string, string>) => ({ headers } as unknown as IncomingMessage);

describe('the serve access token', () => {
  it('takes the token from the query first, then the header, then this port\'s cookie', () => {
    const T = 'a'.repeat(32);
    expect(offeredToken(req({ 'x-abuse-desk-token': 'h' }), new URL(`http://127.0.0.1:8080/?token=${T}`), 8080)).toEqual({ token: T, fromQuery: true });
    expect(offeredToken(req({ 'x-abuse-desk-token': 'h', cookie: `abuse_desk_8080=${T}` }), new URL('http://127.0.0.1:8080/'), 8080)).toEqual({ token: 'h', fromQuery: false });
    expect(offeredToken(req({ cookie: `abuse_desk_9090=x; abuse_desk_8080=${T}` }), new URL('http://127.0.0.1:8080/'), 8080)).toEqual({ token: T, fromQuery: false });
    expect(offeredToken(req({ cookie: 'abuse_desk_9090=x' }), new URL('http://127.0.0.1:8080/'), 8080).token).toBeUndefined();
  });

  it('compares tokens in constant time and never matches an absent or shorter one', () => {
    expect(sameToken('secret', 'secret')).toBe(true);
    expect(sameToken('secreT', 'secret')).toBe(false);
    expect(sameToken('secre', 'secret')).toBe(false);
    expect(sameToken(undefined, 'secret')).toBe(false);
    expect(sameToken('', '')).toBe(false);
  });

  it('sets an HttpOnly SameSite=Strict cookie named by the port, and takes the token out of the address without leaving this server', () => {
    expect(tokenCookie(8080, 't')).toBe('abuse_desk_8080=t; HttpOnly; SameSite=Strict; Path=/');
    expect(tokenCookieName(1)).toBe('abuse_desk_1');
    expect(cookieValue(' a=1 ; b = 2', 'b')).toBe('2');
    expect(withoutToken(new URL('http://127.0.0.1:8080/case/3?token=t&tab=drafts'))).toBe('/case/3?tab=drafts');
    expect(withoutToken(new URL('http://127.0.0.1:8080//evil.example/?token=t'))).toBe('/evil.example/');
  });
});
