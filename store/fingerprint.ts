/**
 * Duplicate detection: the same complaint submitted twice (pasted once, then
 * forwarded as .eml; or re-sent by the reporter's robot) has the same
 * normalised text (analysis/triage/normalise.ts, the one normaliser), so it
 * opens the existing case instead of a new one. The hash is kept here because
 * analysis/ stays free of node:crypto.
 */
import { createHash } from 'node:crypto';
import { normaliseComplaintBytes } from '../analysis/triage/normalise';

/** SHA-256 (hex) of the normalised complaint text: cases.complaint_fp. */
export function complaintFingerprint(raw: Uint8Array | string): string {
  return createHash('sha256').update(normaliseComplaintBytes(raw)).digest('hex');
}
