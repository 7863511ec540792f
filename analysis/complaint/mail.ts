import type { AddressObject, ParsedMail } from 'mailparser';
import type { ComplaintAttachment } from './complaint';
import { htmlToText } from './html';
import { printableFileName } from '../util/printable';
import { parseDateHeader } from './times';

/** What the mail itself says, before any understanding of its content. */
export interface MailParts {
  subject?: string;
  messageId?: string;
  dateMs?: number;
  /** The Date: header as written, for its offset. */
  dateHeader?: string;
  reporter: { address?: string; name?: string; organisation?: string };
  /** Plain text of the body (text/plain parts, or HTML reduced to text). */
  text: string;
  htmlOnly: boolean;
  /** Top-level content type, e.g. "multipart/report". */
  contentType?: string;
  attachments: ComplaintAttachment[];
  warnings: string[];
}

/** Second-level-domain suffixes under which the organisation is one label deeper (example.co.uk). */
const TWO_LEVEL = /\.(?:co|com|net|org|ac|gov|edu|or|ne|go)\.[a-z]{2}$/i;

/** The organisation's domain from a mail address: "reports@reports.abusehub.nl" -> "abusehub.nl". */
export function organisationDomain(address: string | undefined): string | undefined {
  const at = address?.lastIndexOf('@') ?? -1;
  if (!address || at < 0) return undefined;
  const host = address.slice(at + 1).toLowerCase().replace(/[>\s]+$/, '');
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(host)) return undefined;
  const labels = host.split('.');
  const keep = TWO_LEVEL.test(host) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address?: string; name?: string } {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const obj of list) {
    for (const v of obj.value) {
      if (v.address) return { address: v.address, name: v.name || undefined };
      // A group: take its first member.
      if (v.group) for (const g of v.group) if (g.address) return { address: g.address, name: g.name || undefined };
    }
  }
  return {};
}

function headerLine(mail: ParsedMail, key: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === key)?.line;
  if (!line) return undefined;
  const colon = line.indexOf(':');
  return line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

/**
 * mailparser (mailsplit) refuses a whole message past this many MIME parts;
 * such a message is read again cut before its KEEP_PARTS-th boundary line,
 * so its headers, text and first attachments still count (the attachment
 * limit reads far fewer anyway).
 */
const PARSER_PARTS = 1000;
const KEEP_PARTS = 900;

// The module's promise, kept: each import() call goes through the module loader's resolve again
// (under tsx or vitest, a round trip to the loader's thread), about a third of a small mail's parse.
let mailparserModule: Promise<typeof import('./mailparser')> | undefined;

async function simpleParse(input: Uint8Array): Promise<ParsedMail> {
  // Loaded on the first mail, not with the engine: mailparser and the HTML and
  // charset libraries it pulls in cost more to start than a text complaint's analysis.
  mailparserModule ??= import('./mailparser');
  const { simpleParser } = await mailparserModule;
  // mailparser wants a Node Buffer; analysis/ may not import 'buffer', so take the global the host provides.
  const buf = globalThis.Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return simpleParser(buf, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    keepCidLinks: false,
  });
}

/** Offset of the `n`-th line that starts with "--" (a boundary line, or text that looks like one), if there is one. */
function lineStartingWithDashes(bytes: Uint8Array, n: number): number | undefined {
  let seen = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0x0a, i + 1)) {
    if (bytes[i + 1] === 0x2d && bytes[i + 2] === 0x2d && ++seen === n) return i + 1;
  }
  return undefined;
}

/** Parse an RFC 822 message with mailparser. Never throws: failures become warnings. */
export async function parseMail(input: Uint8Array): Promise<MailParts> {
  const out: MailParts = { reporter: {}, text: '', htmlOnly: false, attachments: [], warnings: [] };
  let mail: ParsedMail;
  try {
    mail = await simpleParse(input);
  } catch (err) {
    const cut = /child nodes/i.test(String(err)) ? lineStartingWithDashes(input, KEEP_PARTS) : undefined;
    const kept = cut !== undefined ? await simpleParse(input.subarray(0, cut)).catch(() => undefined) : undefined;
    if (!kept) {
      out.warnings.push(`mail could not be parsed: ${err instanceof Error ? err.message : String(err)}`);
      out.text = new TextDecoder('utf-8', { fatal: false }).decode(input);
      return out;
    }
    mail = kept;
    out.warnings.push(`the mail has more MIME parts than the mail parser reads (${PARSER_PARTS}): only its first ${KEEP_PARTS} parts (up to byte offset ${cut}) were read`);
  }
  out.subject = mail.subject?.trim() || undefined;
  out.messageId = mail.messageId || undefined;
  out.dateHeader = headerLine(mail, 'date');
  // mailparser substitutes "now" for a Date: it cannot read; only a date we can read ourselves counts.
  const own = out.dateHeader ? parseDateHeader(out.dateHeader) : NaN;
  if (Number.isFinite(own)) out.dateMs = own;
  else if (out.dateHeader) out.warnings.push(`Date: header "${out.dateHeader.slice(0, 60)}" cannot be read`);
  out.contentType = headerLine(mail, 'content-type')?.split(';')[0].trim().toLowerCase();

  const from = firstAddress(mail.from);
  const replyTo = firstAddress(mail.replyTo);
  out.reporter.address = from.address ?? replyTo.address;
  out.reporter.name = from.name;
  const org = headerLine(mail, 'organization') ?? headerLine(mail, 'organisation');
  out.reporter.organisation = org || organisationDomain(out.reporter.address);

  const text = typeof mail.text === 'string' ? mail.text : '';
  if (text.trim()) {
    // Some senders put HTML in a text/plain part; it is still never kept as HTML.
    out.text = /<(?:html|body|script|div|table|p|br)\b/i.test(text) ? htmlToText(text) : text;
  } else if (typeof mail.html === 'string' && mail.html) {
    out.text = htmlToText(mail.html);
    out.htmlOnly = true;
    out.warnings.push('the complaint has only an HTML body; it was reduced to plain text');
  }
  for (const a of mail.attachments ?? []) {
    const content = new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength).slice();
    // mailparser gives `false`, not a string, for a part whose Content-Type: header is empty.
    const contentType = typeof a.contentType === 'string' && a.contentType ? a.contentType.toLowerCase() : 'application/octet-stream';
    const fallback = defaultName(contentType, out.attachments.length + 1);
    out.attachments.push({
      // The name becomes an evidence file's name and is printed: no control, bidi or path characters (the raw mail keeps it).
      filename: a.filename ? printableFileName(a.filename, fallback) : fallback,
      contentType,
      content,
    });
  }
  return out;
}

function defaultName(ct: string, n: number): string {
  if (ct === 'message/feedback-report') return 'feedback-report.txt';
  if (ct === 'message/rfc822') return `message-${n}.eml`;
  if (ct.startsWith('text/')) return `part-${n}.txt`;
  return `part-${n}.bin`;
}
