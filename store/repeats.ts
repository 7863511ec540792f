/**
 * Repeat complaints: the same complaint text (fingerprint.ts) arriving again.
 *
 * - A repeat of a replied or closed case never touches it: it opens a new
 *   case linked to it (`repeat_of`), so the answered case keeps the verdict,
 *   evidence and reply it was answered with.
 * - A repeat of an open case joins it only when the caller says so (the
 *   operator confirmed, or an intake path that only adds the message).
 * - A run added by a joined repeat becomes the case's headline only when its
 *   evidence is not weaker than the accepted run's (see weakerThan); else it
 *   is kept as a run for the operator to accept.
 */
import { createHash } from 'node:crypto';
import type { Database } from './database';
import type { CaseStatus, Verdict } from './types';

/** How a repeat of an open case is handled: join it, join only this case (the operator confirmed it), or never. */
export type JoinOpen = 'join' | 'never' | { caseId: number };

export interface EarlierCase { id: number; status: CaseStatus }

/** The latest case holding this complaint text, or undefined. */
export function latestWithComplaint(db: Database, complaintFp: string): Promise<EarlierCase | undefined> {
  return db.get<EarlierCase>('SELECT id, status FROM cases WHERE complaint_fp = ? ORDER BY id DESC LIMIT 1', [complaintFp]);
}

/** Whether a repeat of `earlier` joins it, by its status and the caller's choice. */
export function joinsEarlier(earlier: EarlierCase, join: JoinOpen): boolean {
  if (earlier.status === 'replied' || earlier.status === 'closed') return false;
  return join === 'join' || (typeof join === 'object' && join.caseId === earlier.id);
}

/** The unique fingerprint of a new case repeating `earlierId` (the column stays UNIQUE; complaint_fp holds the shared one). */
export function repeatFingerprint(complaintFp: string, earlierId: number): string {
  return createHash('sha256').update(`${complaintFp}\nrepeat of case ${earlierId}`).digest('hex');
}

export interface RunVerdict { verdict: Verdict; confidence: number }

/**
 * A run is weaker than the accepted one when it would turn a decided verdict
 * into an inconclusive one, or into another verdict held with less confidence.
 */
export function weakerThan(next: RunVerdict, accepted: RunVerdict | undefined): boolean {
  if (!accepted || accepted.verdict === 'inconclusive' || next.verdict === accepted.verdict) return false;
  return next.verdict === 'inconclusive' || next.confidence < accepted.confidence;
}
