import type { MessageLimits } from '../../limits';
import { decodeText } from '../attachments';
import { parseMail, type MailParts } from '../mail';
import { parseDateHeader } from '../times';

const HEADER_NAMES = /^(?:from|to|cc|subject|date|received|return-path|message-id|mime-version|content-type|delivered-to|reply-to|sender|x-[\w-]+|dkim-signature|authentication-results|arc-[\w-]+|in-reply-to|references|user-agent|organization|thread-topic|importance|list-[\w-]+|errors-to|auto-submitted|precedence|content-transfer-encoding|resent-[\w-]+)$/i;

/** How much of the input is looked at to decide whether it is mail, and whether it is text at all. */
const HEAD_BYTES = 64 * 1024;

/**
 * Is this an RFC 822 message: (an mbox "From " line and) header fields up
 * to a blank line, some of them ones only mail has? Pasted text that merely
 * starts with "Subject:" is not.
 */
export function looksLikeMail(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/, 200);
  let i = 0;
  if (lines[0]?.startsWith('From ')) i = 1;
  let fields = 0;
  let mailFields = 0;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') return fields >= 2 && mailFields >= 1;
    if (/^[ \t]/.test(l)) { if (fields === 0) return false; continue; }
    const m = /^([!-9;-~]+):/.exec(l);
    if (!m) return false;
    fields++;
    if (HEADER_NAMES.test(m[1])) mailFields++;
  }
  return false;
}

/** "Subject:", "From:", "Date:" lines near the top of pasted text. */
export function pseudoHeaders(text: string): { subject?: string; from?: string; date?: string } {
  const out: { subject?: string; from?: string; date?: string } = {};
  const lines = text.split(/\r?\n/, 120);
  for (const l of lines) {
    const m = /^\s*(Subject|From|Date)\s*:\s*(.+?)\s*$/i.exec(l);
    if (!m) continue;
    const k = m[1].toLowerCase() as 'subject' | 'from' | 'date';
    if (k === 'date' && Number.isNaN(parseDateHeader(m[2]))) continue;
    out[k] ??= m[2];
  }
  return out;
}

/** Control bytes or invalid UTF-8 in more than 2% of the head: not a complaint a person wrote. */
export function looksBinary(head: Uint8Array, decoded = decodeText(head)): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) control++;
  }
  let bad = 0;
  for (let i = 0; i < decoded.length; i++) if (decoded.charCodeAt(i) === 0xfffd) bad++;
  return control / head.length > 0.02 || bad / Math.max(1, decoded.length) > 0.02;
}

/** The message as read: the parsed mail (if it is one) and the body text to analyse. */
export interface Envelope {
  mail: MailParts | null;
  /** The body, cut to the text limit, with LF line ends and no NUL. */
  bodyText: string;
  warnings: string[];
}

/** Mail or pasted text; the body cut to `limits.textChars`. */
export async function readEnvelope(input: Uint8Array, limits: MessageLimits): Promise<Envelope> {
  const warnings: string[] = [];
  const head = decodeText(input.subarray(0, HEAD_BYTES));
  if (looksBinary(input.subarray(0, HEAD_BYTES), head)) {
    warnings.push('the complaint does not look like text (binary content); addresses and times may be missing');
  }
  const maxText = limits.textChars;
  let mail: MailParts | null = null;
  let bodyText: string;
  if (looksLikeMail(head)) {
    mail = await parseMail(input);
    warnings.push(...mail.warnings);
    bodyText = mail.text;
  } else {
    // A character takes at most four bytes in UTF-8: this many bytes hold the text limit.
    bodyText = decodeText(input.subarray(0, maxText * 4));
  }
  if (bodyText.length > maxText) {
    warnings.push(`the complaint text is ${bodyText.length} characters: only the first ${maxText} were analysed`);
    // A copy, not a slice: V8's slice of a string keeps the whole string alive (a 32 MiB body for 2 MiB of text).
    bodyText = JSON.parse(JSON.stringify(bodyText.slice(0, maxText))) as string;
  }
  bodyText = bodyText.replace(/\r\n?/g, '\n').replace(/\u0000/g, '');
  return { mail, bodyText, warnings };
}

/** Subject, date and sender: the mail's header fields, or the "Subject:"/"From:"/"Date:" lines of pasted text. */
export interface HeaderFacts {
  subject?: string;
  dateHeader?: string;
  dateMs?: number;
  /** A pasted "From:" line, as written (a mail's sender is in `mail.reporter`). */
  pastedFrom?: string;
}

export function headerFacts(env: Envelope): HeaderFacts {
  const { mail } = env;
  const pseudo = mail ? {} : pseudoHeaders(env.bodyText);
  let dateMs = mail?.dateMs;
  if (dateMs === undefined && pseudo.date) {
    const ms = parseDateHeader(pseudo.date);
    if (Number.isFinite(ms)) dateMs = ms;
  }
  return { subject: mail?.subject ?? pseudo.subject, dateHeader: mail?.dateHeader ?? pseudo.date, dateMs, pastedFrom: mail ? undefined : pseudo.from };
}
