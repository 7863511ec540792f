/**
 * Duplicate detection: the same complaint submitted twice (pasted once, then
 * forwarded as .eml; or re-sent by the reporter's robot) has the same
 * normalised text (analysis/triage/normalise.ts, the one normaliser), so it
 * opens the existing case instead of a new one. The hash is kept here because
 * analysis/ stays free of node:crypto.
 */
import { createHash } from 'node:crypto';
import { normaliseComplaintPieces } from '../analysis/triage/normalise-stream';

/** SHA-256 (hex) of the normalised complaint text: cases.complaint_fp (hashed in pieces: a message may be 64 MiB). */
export function complaintFingerprint(raw: Uint8Array | string): string {
  const hash = createHash('sha256');
  for (const piece of normaliseComplaintPieces(raw)) hash.update(piece);
  return hash.digest('hex');
}
