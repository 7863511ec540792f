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

/** SHA-256 hex of the normalised complaint: equal for copies of the same complaint. */
export function complaintHash(subject: string | undefined, body: string): string {
  return sha256Hex(new TextEncoder().encode(normaliseComplaint(subject, body)));
}

/** SHA-256 hex of a raw message after `normaliseRawMessage`. */
export function rawMessageHash(raw: Uint8Array): string {
  return sha256Hex(new TextEncoder().encode(normaliseRawMessage(raw)));
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** FIPS 180-4 SHA-256 (no Node crypto in analysis/; Web Crypto is async). */
export function sha256Hex(data: Uint8Array): string {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const bitLen = data.length * 8;
  const padded = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLen / 2 ** 32));
  view.setUint32(padded.length - 4, bitLen >>> 0);
  const w = new Uint32Array(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  return [...h].map((x) => x.toString(16).padStart(8, '0')).join('');
}
