/**
 * Which web permissions the window gets: clipboard writes (copying the
 * reply) from our own origin, in our own top-level page; nothing else, and
 * nothing for any other origin (a frame or a page that somehow loaded).
 * Pure, so it is tested without Electron.
 */
import { originOf } from './sender-check';

const GRANTED = new Set(['clipboard-sanitized-write']);

export interface PermissionAsk {
  permission: string;
  /** The URL or origin asking (`details.requestingUrl`, or the check handler's `requestingOrigin`). */
  requesting: string | undefined;
  /** The top-level page's URL or origin when Electron gives it (`details.embeddingOrigin`). */
  embedding?: string | undefined;
}

export function permissionDecision(ask: PermissionAsk, trustedOrigins: readonly string[]): boolean {
  if (!GRANTED.has(ask.permission)) return false;
  const trusted = trustedOrigins.map((o) => o.toLowerCase().replace(/\/+$/, ''));
  const isOurs = (u: string | undefined): boolean => {
    const o = u ? originOf(u) : undefined;
    return o !== undefined && trusted.includes(o);
  };
  if (!isOurs(ask.requesting)) return false;
  return ask.embedding === undefined || ask.embedding === '' || isOurs(ask.embedding);
}
