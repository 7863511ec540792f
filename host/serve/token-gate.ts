/**
 * The access token of `serve`: where a request may carry it, and how the
 * page URL loses it. `serve` prints `http://127.0.0.1:P/?token=T`; the first
 * page load answers with the token as an HttpOnly SameSite=Strict cookie and
 * a redirect to the same URL without `token`, so the token leaves the address
 * bar and the back/forward history and page scripts never see it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER, TOKEN_PARAM } from '../../electron/common/transport';

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Cookies ignore the port, so each server's cookie carries its port in its name. */
export function tokenCookieName(port: number): string {
  return `abuse_desk_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The token a request offers: the query, then the header, then the cookie. */
export function offeredToken(req: IncomingMessage, url: URL, port: number): { token: string | undefined; fromQuery: boolean } {
  const fromQuery = url.searchParams.get(TOKEN_PARAM) ?? undefined;
  if (fromQuery !== undefined) return { token: fromQuery, fromQuery: true };
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return { token: header, fromQuery: false };
  return { token: cookieValue(req.headers.cookie, tokenCookieName(port)), fromQuery: false };
}

/** The same path and query without `token` (relative, so it can only point at this server). */
export function withoutToken(url: URL): string {
  const q = new URLSearchParams(url.searchParams);
  q.delete(TOKEN_PARAM);
  const search = q.toString();
  // A path starting with "//" would be read as another host by the browser.
  const path = `/${url.pathname.replace(/^\/+/, '')}`;
  return `${path}${search ? `?${search}` : ''}`;
}
