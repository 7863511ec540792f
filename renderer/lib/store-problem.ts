/**
 * Store failures the operator must see and can act on (a read-only data
 * folder, a full disk, a damaged database): shown as a banner above every
 * view, while the typed complaint and the edited draft stay in the renderer.
 */
import { ApiError } from './call';

/** Error codes that say the case store itself is in trouble, not this one call. */
export const STORE_PROBLEM_CODES = new Set(['read_only', 'disk_full', 'corrupt', 'busy', 'too_new', 'store_unavailable']);

export interface StoreProblem {
  code: string;
  message: string;
  /** What the operator was doing ("save the draft"). */
  action?: string;
}

export function isStoreProblem(e: unknown): e is ApiError {
  return e instanceof ApiError && STORE_PROBLEM_CODES.has(e.code);
}

/** A short title for the banner. */
export function storeProblemTitle(code: string): string {
  switch (code) {
    case 'read_only': return 'The case store is read-only';
    case 'disk_full': return 'The disk is full';
    case 'corrupt': return 'The case database is damaged';
    case 'busy': return 'The case store is busy';
    case 'too_new': return 'The case database is from a newer Abuse Desk';
    default: return 'The case store is not available';
  }
}

/** The message of anything thrown, for a toast. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
