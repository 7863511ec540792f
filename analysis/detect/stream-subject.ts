import type { StreamContext } from './stream';

/**
 * Which addresses a streaming detector speaks for, known before the first
 * event: the accused, or our networks when the caller named none (as
 * common.ts subjectTest does for batch detectors).
 */
export function streamSubject(ctx: Pick<StreamContext, 'accused' | 'isOurs'>): (addr: string | undefined) => boolean {
  const accused = new Set(ctx.accused);
  // Asked twice per event by most detectors: one accused (the usual complaint) is one string comparison, no hashing.
  if (accused.size === 1) { const only = ctx.accused[0]; return (a) => a === only; }
  if (accused.size > 0) return (a) => a !== undefined && accused.has(a);
  return (a) => a !== undefined && ctx.isOurs(a);
}
