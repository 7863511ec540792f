import { normalizeAddress } from '../util/net';
import { addUnique, emptyFacts, type ReportFacts } from './facts';

/**
 * RFC 5965 Abuse Reporting Format: a multipart/report whose
 * message/feedback-report part is a header block (§3.1, §3.2):
 * Feedback-Type, User-Agent, Version, Source-IP, Arrival-Date,
 * Reported-Domain, Original-Mail-From, ... The source IP is the accused.
 */

/** Parse an RFC 822 style header block (with folded continuation lines) into ordered pairs. */
export function parseHeaderBlock(text: string, maxLines = 500): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  // Only the first `maxLines` lines are split off: a feedback report is a short header block, whatever follows it.
  const lines = text.replace(/^\s*\n/, '').split(/\r?\n/, maxLines);
  for (let i = 0; i < lines.length && i < maxLines; i++) {
    const l = lines[i];
    if (l.trim() === '') {
      if (out.length > 0) break;
      continue;
    }
    const m = /^([!-9;-~]+):\s?(.*)$/.exec(l);
    if (m) out.push([m[1], m[2].trim()]);
    else if (/^\s/.test(l) && out.length > 0) out[out.length - 1][1] += ` ${l.trim()}`;
    else break;
  }
  return out;
}

/** Does this text look like a feedback report (a header block with Feedback-Type)? */
export function isFeedbackReport(text: string): boolean {
  return parseHeaderBlock(text, 60).some(([k]) => /^feedback-type$/i.test(k));
}

/** Find a feedback report block embedded in other text (pasted ARF, or parts mailparser did not split). */
export function findFeedbackReport(text: string): string | null {
  const m = /^Feedback-Type:/im.exec(text);
  if (!m) return null;
  // Back up to the start of the header block holding it.
  let start = m.index;
  const before = text.slice(Math.max(0, m.index - 4000), m.index);
  const blank = before.search(/\n\s*\n(?![\s\S]*\n\s*\n)/);
  if (blank >= 0) start = m.index - before.length + blank;
  return text.slice(start, start + 8000);
}

export function parseFeedbackReport(text: string): ReportFacts {
  const facts = emptyFacts('arf');
  let feedbackType: string | undefined;
  for (const [key, value] of parseHeaderBlock(text)) {
    const k = key.toLowerCase();
    if (!(key in facts.fields)) facts.fields[key] = value.slice(0, 500);
    switch (k) {
      case 'source-ip': {
        const a = normalizeAddress(value.replace(/^\[|\]$/g, ''));
        if (a) addUnique(facts.accused, a);
        else facts.warnings.push(`ARF Source-IP "${value.slice(0, 60)}" is not an address`);
        break;
      }
      case 'arrival-date': case 'received-date':
        facts.times.push({ text: value });
        break;
      case 'feedback-type':
        feedbackType = value.toLowerCase();
        break;
    }
  }
  switch (feedbackType) {
    case 'virus': facts.activity = 'worm'; break;
    case 'abuse': case 'fraud': case 'auth-failure': case undefined: facts.activity = 'spam'; break;
    default: facts.activity = 'other';
  }
  if (facts.accused.length === 0) facts.warnings.push('ARF feedback report has no Source-IP');
  return facts;
}
