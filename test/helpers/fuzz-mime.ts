import fc from 'fast-check';

/**
 * Building and reshaping mail for the complaint fuzz tests: MIME trees
 * rendered with any transfer encoding, charset, boundary and line end, and
 * edits of existing messages (header order, extra headers, an extra part).
 * Only what RFC 2045/2046/5322 allow, so a parser must read every variant
 * the same way.
 */

export type Encoding = '7bit' | '8bit' | 'base64' | 'quoted-printable';
export type Eol = '\r\n' | '\n';

export interface Leaf {
  type: string;
  charset?: string;
  encoding: Encoding;
  filename?: string;
  body: Uint8Array;
}

export interface Multipart {
  subtype: 'mixed' | 'alternative' | 'related' | 'report';
  boundary: string;
  params?: string;
  parts: Tree[];
  preamble?: string;
  epilogue?: string;
}

export type Tree = Leaf | Multipart;

const enc = new TextEncoder();
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Base64 in lines of `width` characters (RFC 2045 §6.8 allows up to 76). */
export function base64Lines(bytes: Uint8Array, width: number, eol: Eol): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const w = Math.max(4, width - (width % 4));
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += w) lines.push(b64.slice(i, i + w));
  return lines.join(eol);
}

/** Quoted-printable (RFC 2045 §6.7) with soft line breaks so no line exceeds `width`. */
export function quotedPrintable(bytes: Uint8Array, width: number, eol: Eol): string {
  const out: string[] = [];
  let line = '';
  const flush = (soft: boolean): void => { out.push(soft ? `${line}=` : line); line = ''; };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) {
      // A space or tab before a hard line break must be encoded (§6.7 rule 3).
      if (line.endsWith(' ') || line.endsWith('\t')) line = `${line.slice(0, -1)}=${line.endsWith(' ') ? '20' : '09'}`;
      flush(false);
      continue;
    }
    if (b === 0x0d && bytes[i + 1] === 0x0a) continue;
    const t = (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + t.length > width - 1) flush(true);
    line += t;
  }
  if (line.endsWith(' ') || line.endsWith('\t')) line = `${line.slice(0, -1)}=${line.endsWith(' ') ? '20' : '09'}`;
  out.push(line);
  return out.join(eol);
}

function encodeBody(leaf: Leaf, eol: Eol, width: number): string {
  switch (leaf.encoding) {
    case 'base64': return base64Lines(leaf.body, width, eol);
    case 'quoted-printable': return quotedPrintable(leaf.body, width, eol);
    default: return latin1(leaf.body).replace(/\r?\n/g, eol);
  }
}

/** A MIME entity: its header lines and its body, as latin1 text (bytes 1:1). */
export function renderEntity(tree: Tree, eol: Eol, width = 76): { headers: Array<[string, string]>; body: string } {
  if ('subtype' in tree) {
    const parts = tree.parts.map((p) => {
      const e = renderEntity(p, eol, width);
      return `${e.headers.map(([k, v]) => `${k}: ${v}`).join(eol)}${eol}${eol}${e.body}`;
    });
    const body = `${tree.preamble ? `${tree.preamble}${eol}` : ''}${parts.map((p) => `--${tree.boundary}${eol}${p}${eol}`).join('')}--${tree.boundary}--${eol}${tree.epilogue ?? ''}`;
    return { headers: [['Content-Type', `multipart/${tree.subtype}; boundary="${tree.boundary}"${tree.params ?? ''}`]], body };
  }
  const headers: Array<[string, string]> = [['Content-Type', `${tree.type}${tree.charset ? `; charset="${tree.charset}"` : ''}`]];
  headers.push(['Content-Transfer-Encoding', tree.encoding]);
  if (tree.filename) headers.push(['Content-Disposition', `attachment; filename="${tree.filename}"`]);
  return { headers, body: encodeBody(tree, eol, width) };
}

/** A whole message: `headers` first, then the tree's own MIME headers. */
export function renderMail(headers: Array<[string, string]>, tree: Tree, eol: Eol, width = 76): Uint8Array {
  const e = renderEntity(tree, eol, width);
  const all = [...headers, ['MIME-Version', '1.0'] as [string, string], ...e.headers];
  return Buffer.from(`${all.map(([k, v]) => `${k}: ${v}`).join(eol)}${eol}${eol}${e.body}`, 'latin1');
}

/** Bytes of `text` in a charset mailparser (iconv-lite) knows; undefined when it cannot hold the text. */
export function encodeCharset(text: string, charset: string): Uint8Array | undefined {
  if (charset === 'utf-8') return enc.encode(text);
  if (charset === 'iso-8859-1' || charset === 'windows-1252') {
    if ([...text].some((ch) => ch.charCodeAt(0) > 0xff)) return undefined;
    return Buffer.from(text, 'latin1');
  }
  if (charset === 'utf-16le') return Buffer.from(text, 'utf16le');
  return undefined;
}

/** Boundary text (RFC 2046 §5.1.1 bchars, 1-70 characters, not ending in a space). */
export const boundary: fc.Arbitrary<string> = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\'()+_,-./:=? '), minLength: 1, maxLength: 60 })
  .map((s) => `${s}Z`);

/** Words with no digits, so they never read as addresses, ports, counts or times. */
export const safeWords: fc.Arbitrary<string> = fc
  .array(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 12 })
  .map((w) => w.join(' '));

// ------------------------------------------------------------------ edits of existing messages

/** A message split into its header fields (each with its folded continuation lines) and the rest. */
export interface SplitMail {
  /** An mbox "From " line, kept first. */
  mbox?: string;
  fields: string[];
  eol: Eol;
  rest: string;
}

export function splitMail(bytes: Uint8Array): SplitMail | undefined {
  const s = latin1(bytes);
  const eol: Eol = s.includes('\r\n') ? '\r\n' : '\n';
  const end = s.indexOf(`${eol}${eol}`);
  if (end < 0) return undefined;
  const lines = s.slice(0, end).split(eol);
  const mbox = lines[0].startsWith('From ') ? lines.shift() : undefined;
  const fields: string[] = [];
  for (const l of lines) {
    if (/^[ \t]/.test(l) && fields.length > 0) fields[fields.length - 1] += `${eol}${l}`;
    else fields.push(l);
  }
  return { mbox, fields, eol, rest: s.slice(end) };
}

export function joinMail(m: SplitMail): Uint8Array {
  return Buffer.from(`${m.mbox ? `${m.mbox}${m.eol}` : ''}${m.fields.join(m.eol)}${m.rest}`, 'latin1');
}

const fieldName = (f: string): string => f.slice(0, f.indexOf(':')).trim().toLowerCase();

/**
 * Reorder the header fields by `keys` (one sort key per field), keeping the
 * relative order of fields that share a name: "first Subject wins" and the
 * order of Received lines stay as they were.
 */
export function reorderFields(m: SplitMail, keys: number[]): SplitMail {
  const byName = new Map<string, string[]>();
  for (const f of m.fields) byName.set(fieldName(f), [...(byName.get(fieldName(f)) ?? []), f]);
  const slots = m.fields.map((f, i) => ({ name: fieldName(f), key: keys[i % keys.length] + i / 1e6 }));
  slots.sort((a, b) => a.key - b.key);
  const used = new Map<string, number>();
  const fields = slots.map(({ name }) => {
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    return byName.get(name)![n];
  });
  return { ...m, fields };
}

/** The top-level multipart boundary, when the message is multipart. */
export function topBoundary(m: SplitMail): string | undefined {
  const ct = m.fields.find((f) => fieldName(f) === 'content-type');
  if (!ct || !/multipart\//i.test(ct)) return undefined;
  return /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(ct.replace(/\r?\n[ \t]+/g, ' '))?.slice(1).find((x) => x);
}

/** Insert one more part just before the closing delimiter of the top-level multipart. */
export function appendPart(m: SplitMail, part: Leaf): SplitMail | undefined {
  const b = topBoundary(m);
  if (!b) return undefined;
  const close = m.rest.lastIndexOf(`--${b}--`);
  if (close < 0) return undefined;
  const e = renderEntity(part, m.eol);
  const text = `--${b}${m.eol}${e.headers.map(([k, v]) => `${k}: ${v}`).join(m.eol)}${m.eol}${m.eol}${e.body}${m.eol}`;
  // The delimiter must start a line; the CRLF before it belongs to it (RFC 2046 §5.1.1).
  return { ...m, rest: `${m.rest.slice(0, close)}${text}${m.rest.slice(close)}` };
}
