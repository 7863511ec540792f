/**
 * Duplicate detection: the same complaint submitted twice (pasted once, then
 * forwarded as .eml; or re-sent by the reporter's robot) has the same
 * normalised text, so it opens the existing case instead of a new one.
 */
import { createHash } from 'node:crypto';

/** Mail headers that differ between two deliveries of the same complaint. */
const VARYING_HEADERS = /^(received|x-received|message-id|date|delivered-to|return-path|dkim-signature|arc-[\w-]+|authentication-results|received-spf|x-google-[\w-]+|x-ms-[\w-]+|x-originating-ip|x-spam-[\w-]+|x-virus-[\w-]+):/i;

/**
 * Lower-cased, whitespace collapsed, quoted-reply markers (leading ">") gone,
 * and the varying headers (Received, Message-ID, Date, ...) with their
 * continuation lines removed wherever they appear (a forwarded mail carries the
 * original's headers in its body too).
 */
export function normalizeComplaintText(raw: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line0 of raw.replace(/\r\n?/g, '\n').split('\n')) {
    const line = line0.replace(/^(\s*>)+\s?/, '');
    if (skipping && /^[ \t]+\S/.test(line)) continue;
    skipping = VARYING_HEADERS.test(line);
    if (skipping) continue;
    out.push(line);
  }
  return out.join('\n').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** SHA-256 (hex) of the normalised complaint text. */
export function complaintFingerprint(raw: Uint8Array | string): string {
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw);
  return createHash('sha256').update(normalizeComplaintText(text)).digest('hex');
}
