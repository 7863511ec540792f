import { memberTest } from '../util/member-test';
import type { StreamContext } from './stream';

/**
 * Which addresses a streaming detector speaks for, known before the first
 * event: the accused, or our networks when the caller named none (as
 * common.ts subjectTest does for batch detectors).
 */
export function streamSubject(ctx: Pick<StreamContext, 'accused' | 'isOurs'>): (addr: string | undefined) => boolean {
  // Asked twice per event by most detectors: one accused (the usual complaint) is one string comparison.
  if (ctx.accused.length > 0) return memberTest(ctx.accused);
  return (a) => a !== undefined && ctx.isOurs(a);
}
