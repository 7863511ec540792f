/**
 * Keys for grouping mail: a thread key from Message-ID / In-Reply-To /
 * References, and a duplicate key for the same complaint sent again
 * (lowercased, whitespace collapsed, headers that vary between copies
 * removed). Pure TypeScript (a small SHA-256 below), so the store, the
 * intake and the engine can share it.
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

/** Header fields that differ between copies of the same complaint (transport, ids, dates, signatures, tickets). */
const VARYING_HEADER = /^(received|date|message-id|resent-[\w-]+|return-path|delivered-to|x-[\w-]+|dkim-signature|domainkey-signature|arc-[\w-]+|authentication-results|received-spf|in-reply-to|references|to|cc|bcc|envelope-to|status|content-length|lines|thread-[\w-]+|list-[\w-]+|mime-version|content-type|content-transfer-encoding)$/i;
/** "Re:", "Fwd:", "[Ticket #123]" and the like in subjects. */
const SUBJECT_NOISE = /^\s*((re|fwd?|aw|wg|sv|vs)\s*(\[\d+\])?\s*:\s*|\[[^\]]*#\s*\d+[^\]]*\]\s*)+/i;

/** Lowercased, whitespace collapsed, subject prefixes and ticket tags removed. */
export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The text two copies of one complaint have in common: the subject without "Re:"/ticket tags, and the body. */
export function normaliseComplaint(subject: string | undefined, body: string): string {
  const s = (subject ?? '').replace(SUBJECT_NOISE, '');
  return normaliseText(`${s}\n${body}`);
}

/**
 * The same for a raw message: the header fields that vary between copies are
 * dropped (Received, Date, Message-ID, X-*, DKIM, To ...), the rest (From,
 * Subject) and the body are normalised. The body is taken as sent (not
 * decoded), so a copy re-encoded differently gets another key; the parsed
 * form (`normaliseComplaint` on a Complaint's subject and text) does not.
 */
export function normaliseRawMessage(raw: Uint8Array): string {
  const text = new TextDecoder('latin1').decode(raw).replace(/\r\n?/g, '\n').replace(/^From [^\n]*\n/, '');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const kept: string[] = [];
  let subject = '';
  for (const field of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(field);
    if (!m || VARYING_HEADER.test(m[1])) continue;
    if (/^subject$/i.test(m[1])) { subject = m[2]; continue; }
    kept.push(`${m[1].toLowerCase()}: ${m[2]}`);
  }
  return normaliseText(`${kept.sort().join('\n')}\n${normaliseComplaint(subject, body)}`);
}

// Hashing these strings (for a store key) belongs to the caller: node:crypto on the Node side,
// Web Crypto in a browser. analysis/ stays free of both and of a hand-written digest.
