/**
 * The reply as a mail message, before MIME: who it goes to, the subject with
 * our case tag, the threading headers that make it land under the complaint
 * in the complainant's client, and the text (our letter, the signature, the
 * complaint quoted below), wrapped at 72.
 *
 * Pure: the composer in services/reply turns this into RFC 5322 bytes with
 * nodemailer, and the address checks there decide what is a valid recipient.
 */
import { printableLine, printableText } from '../util/printable';
import { formatUtc } from '../util/utc';
import { wrapText } from './wrap';

/** What the reply needs to know about the complaint (a `StoredComplaint` has it). */
export interface RepliedComplaint {
  subject?: string;
  messageId?: string;
  dateMs?: number;
  reporter: { address?: string; name?: string };
  text: string;
}

export interface ReplyMailInput {
  /** The letter as the operator left it. */
  subject: string;
  body: string;
  /** The complaint it answers, when the case has one stored. */
  complaint?: RepliedComplaint;
  /** Our case id, written into the subject as a ticket tag. */
  caseId?: number;
  /** The signature from settings; replaces the engine's closing name when given. */
  signature?: string;
}

export interface ReplyMail {
  subject: string;
  text: string;
  /** The complaint's Message-ID, angle brackets included; absent when it had none. */
  inReplyTo?: string;
  references?: string;
}

/** Lines of the complaint quoted below the reply: enough to recognise it, never the whole of a long log. */
export const QUOTED_LINES = 40;
const TICKET = /\[AbuseDesk #\d+\]/;

/** "[AbuseDesk #12]": the tag a reply to our reply carries back, so it joins the case. */
export function ticketTag(caseId: number): string {
  return `[AbuseDesk #${caseId}]`;
}

/** The case id in a subject that carries our tag, or null. */
export function ticketOf(subject: string): number | null {
  const m = /\[AbuseDesk #(\d{1,12})\]/.exec(subject);
  return m ? Number(m[1]) : null;
}

function replySubject(subject: string, caseId: number | undefined): string {
  let s = printableLine(subject).trim() || 'Re: your abuse report';
  if (!/^re:/i.test(s)) s = `Re: ${s}`;
  if (caseId !== undefined && !TICKET.test(s)) s = `${s} ${ticketTag(caseId)}`;
  return s;
}

/** A Message-ID as a header value: one `<id@host>` token, nothing that could start another header. */
export function messageIdToken(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const bare = id.trim().replace(/^<|>$/g, '');
  if (!/^[\x21-\x3b\x3d\x3f-\x7e]{1,250}@[\x21-\x3b\x3d\x3f-\x7e]{1,250}$/.test(bare)) return undefined;
  return `<${bare}>`;
}

/** The engine's draft ends its letter with a closing name; the desk's own signature takes its place. */
function withSignature(body: string, signature: string | undefined): string {
  const text = printableText(body).replace(/\s+$/, '');
  if (signature === undefined || !signature.trim()) return text;
  const sig = printableText(signature).replace(/\s+$/, '');
  // A stored template's {signature} already signed the letter.
  if (`\n${text}\n`.includes(`\n${sig}\n`)) return text;
  const closing = /\n(Best regards|Kind regards),\nAbuse desk(\n|$)/;
  if (closing.test(text)) return text.replace(closing, (_m, greeting: string, end: string) => `\n${greeting},\n${sig}${end}`);
  return `${text}\n\n-- \n${sig}`;
}

function quoteComplaint(c: RepliedComplaint): string[] {
  const lines = printableText(c.text).replace(/\s+$/, '').split('\n');
  if (!lines.length || (lines.length === 1 && !lines[0])) return [];
  const who = printableLine(c.reporter.name || c.reporter.address || 'you');
  const when = c.dateMs !== undefined && Number.isFinite(c.dateMs) ? `On ${formatUtc(c.dateMs * 1000)}, ` : '';
  const shown = lines.slice(0, QUOTED_LINES).map((l) => (l ? `> ${l}` : '>'));
  if (lines.length > QUOTED_LINES) shown.push(`> [... ${lines.length - QUOTED_LINES} more lines of your report]`);
  return [`${when}${who} wrote:`, ...shown];
}

export function replyMail(input: ReplyMailInput): ReplyMail {
  const c = input.complaint;
  const parts = [withSignature(input.body, input.signature)];
  if (c) {
    const quoted = quoteComplaint(c);
    if (quoted.length) parts.push('', ...quoted);
  }
  const inReplyTo = messageIdToken(c?.messageId);
  return {
    subject: replySubject(input.subject, input.caseId),
    text: wrapText(parts.join('\n')),
    ...(inReplyTo ? { inReplyTo, references: inReplyTo } : {}),
  };
}
