/**
 * Keys for grouping mail: a thread key from Message-ID / In-Reply-To /
 * References, and the one complaint normaliser, which decides whether two
 * messages are the same complaint sent again (lowercased, whitespace
 * collapsed, headers that vary between copies removed). Pure TypeScript, so
 * the store, the intake and the engine share it.
 */

/** The threading headers of one message, as written (angle brackets optional). */
export interface ThreadHeaders {
  messageId?: string;
  inReplyTo?: string;
  /** The References: header, as one string or as a list of ids. */
  references?: string | string[];
}

/** Message ids in a header value, without angle brackets: "<a@b> <c@d>" -> ["a@b", "c@d"]. */
export function messageIds(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  const ids = bracketed.length ? bracketed : text.split(/[\s,]+/).filter((t) => t.includes('@'));
  return ids.map(normaliseMessageId).filter(Boolean);
}

/** The right-hand side (a domain) is case-insensitive; the left is kept as written. */
export function normaliseMessageId(id: string): string {
  const t = id.trim().replace(/^<|>$/g, '');
  const at = t.lastIndexOf('@');
  return at < 0 ? t : `${t.slice(0, at)}@${t.slice(at + 1).toLowerCase()}`;
}

/**
 * The thread a message belongs to: the first id of References (the root),
 * else In-Reply-To, else its own Message-ID. `undefined` when it has none.
 */
export function threadKey(h: ThreadHeaders): string | undefined {
  return messageIds(h.references)[0] ?? messageIds(h.inReplyTo)[0] ?? messageIds(h.messageId)[0];
}

/**
 * Threads over a stream of messages, for replies that lost their References:
 * a message whose parent was seen joins the parent's thread.
 */
export class Threader {
  private readonly byId = new Map<string, string>();

  add(h: ThreadHeaders): string | undefined {
    const own = messageIds(h.messageId)[0];
    const related = [...messageIds(h.references), ...messageIds(h.inReplyTo)];
    let key: string | undefined;
    for (const id of related) { key = this.byId.get(id); if (key) break; }
    key ??= threadKey(h);
    if (key) {
      for (const id of [own, ...related]) if (id && !this.byId.has(id)) this.byId.set(id, key);
    }
    return key;
  }
}

/**
 * Mail header fields that differ between two deliveries of the same
 * complaint: transport, trace and spam-filter fields, and ids and dates. The
 * one list: the store's fingerprint (store/fingerprint.ts) is the hash of
 * normaliseComplaintText, so a change here changes every stored fingerprint
 * and needs a migration that recomputes cases.complaint_fp.
 */
const VARYING_HEADERS = /^(received|x-received|message-id|date|delivered-to|return-path|dkim-signature|arc-[\w-]+|authentication-results|received-spf|x-google-[\w-]+|x-ms-[\w-]+|x-originating-ip|x-spam-[\w-]+|x-virus-[\w-]+):/i;

/**
 * "Is this the same complaint": the text two copies of one complaint have in
 * common (pasted once, then forwarded as .eml; or re-sent by the reporter's
 * robot). Lower-cased, whitespace collapsed, quoted-reply markers (leading
 * ">") gone, and the varying headers with their continuation lines removed
 * wherever they appear (a forwarded mail carries the original's headers in
 * its body too). Fields that a complaint's own lines may also use (To, X-*
 * quoted from an HTTP request) are kept: dropping them would join complaints
 * that differ.
 */
export function normaliseComplaintText(raw: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line0 of raw.replace(/\r\n?/g, '\n').split('\n')) {
    const line = stripQuoteMarks(line0);
    if (skipping && /^[ \t]+\S/.test(line)) continue;
    skipping = isVaryingHeader(line);
    if (skipping) continue;
    out.push(line);
  }
  return out.join('\n').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A line without its quoted-reply markers ("> > "). Shared with normalise-stream.ts, which hashes big messages in pieces. */
export function stripQuoteMarks(line: string): string {
  return line.replace(/^(\s*>)+\s?/, '');
}

/** Does this line start one of the varying header fields? */
export function isVaryingHeader(line: string): boolean {
  return VARYING_HEADERS.test(line);
}

/** The same for the bytes as received (UTF-8, malformed sequences replaced). */
export function normaliseComplaintBytes(raw: Uint8Array | string): string {
  return normaliseComplaintText(typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw));
}

// Hashing these strings (for a store key) belongs to the caller: node:crypto on the Node side,
// Web Crypto in a browser. analysis/ stays free of both and of a hand-written digest.
