/**
 * normaliseComplaintBytes (normalise.ts) in pieces, for hashing a message of
 * any size in bounded memory: the bytes are decoded a slice at a time and no
 * line is ever gathered whole (the whole-text version makes several copies
 * of the text and a string per line: about 14 times a 64 MiB message, and a
 * 64 MiB line joined slice by slice is quadratic). normaliseComplaintBytes
 * stays the definition and a test holds the two equal. How:
 * - lines end at CRLF, CR or LF (a CR ending a slice waits for the next);
 * - what a line is (quoted, a varying header to drop, its continuation) is
 *   decided from its first LINE_HEAD characters, the rest following it;
 * - lower-casing goes a fragment at a time, cut only where no casing
 *   context can cross (at whitespace, or between two ASCII letters or
 *   digits: only Greek capital sigma looks at its neighbours);
 * - whitespace runs, line ends included, become one space; nothing before
 *   the first word or after the last.
 * Equal to the definition except on inputs no mail has: a line whose quote
 * marks, indent or header name run past LINE_HEAD characters, or MAX_HOLD
 * characters without a place to cut.
 */
import { isVaryingHeader, stripQuoteMarks } from './normalise';

/** Characters decoded per slice. */
const SLICE = 1 << 20;
/** Pieces are handed out about this long (a hash takes one call per piece). */
const PIECE = 64 * 1024;
/** Characters of a line read before deciding what it is. */
const LINE_HEAD = 64 * 1024;
/** Characters held back waiting for a place to cut before lower-casing them anyway. */
const MAX_HOLD = 4 << 20;

class Words {
  out = '';
  private wrote = false;
  private inWord = false;
  private held = '';

  /** Text of a kept line (its case as written). */
  add(text: string): void {
    const t = this.held + text;
    const cut = safeCut(t);
    if (cut < 0 && t.length < MAX_HOLD) { this.held = t; return; }
    const at = cut < 0 ? t.length : cut;
    this.held = t.slice(at);
    this.emit(t.slice(0, at).toLowerCase());
  }

  /** A line ends (whitespace between its last word and the next line's first). */
  endLine(): void {
    if (this.held) { this.emit(this.held.toLowerCase()); this.held = ''; }
    this.inWord = false;
  }

  private emit(lower: string): void {
    const parts = lower.split(/\s+/);
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) this.inWord = false;
      if (!parts[i]) continue;
      if (!this.inWord && this.wrote) this.out += ' ';
      this.out += parts[i];
      this.wrote = true;
      this.inWord = true;
    }
  }
}

// Whitespace other than U+FEFF, which is also "case-ignorable" (a format character): a sigma looks through it.
const isSpace = (c: string): boolean => c !== '\ufeff' && /\s/.test(c);
const isAsciiAlnum = (code: number): boolean => (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

/** The last index where `t` can be cut without changing how either side lower-cases; -1 when there is none. */
function safeCut(t: string): number {
  for (let i = t.length - 1; i > 0; i--) {
    if (isSpace(t[i])) return i;
    if (isAsciiAlnum(t.charCodeAt(i)) && isAsciiAlnum(t.charCodeAt(i - 1))) return i;
  }
  return -1;
}

/** `sizes`: smaller slices and line heads, for tests that cut everywhere. */
export function* normaliseComplaintPieces(raw: Uint8Array | string, sizes: { slice?: number; lineHead?: number } = {}): Generator<string> {
  const lineHead = sizes.lineHead ?? LINE_HEAD;
  const words = new Words();
  let skipping = false;
  /** The start of the current line, until what it is has been decided. */
  let head = '';
  /** What the current line turned out to be, once decided: its rest is kept or dropped. */
  let mode: 'keep' | 'drop' | null = null;

  const decide = (start: string): void => {
    const l = stripQuoteMarks(start);
    if (skipping && /^[ \t]+\S/.test(l)) { mode = 'drop'; return; }
    skipping = isVaryingHeader(l);
    mode = skipping ? 'drop' : 'keep';
    if (mode === 'keep') words.add(l);
  };
  /** Part of the current line. */
  const part = (text: string): void => {
    if (mode === 'keep') words.add(text);
    else if (mode === null) {
      head += text;
      if (head.length >= lineHead) { const h = head; head = ''; decide(h); }
    }
  };
  const endLine = (): void => {
    if (mode === null) decide(head);
    head = '';
    mode = null;
    words.endLine();
  };

  let pendingCr = false;
  for (const text of decodedSlices(raw, sizes.slice ?? SLICE)) {
    let start = 0;
    if (pendingCr) {
      pendingCr = false;
      endLine();
      if (text[0] === '\n') start = 1;
    }
    for (;;) {
      const lf = text.indexOf('\n', start);
      const cr = text.indexOf('\r', start);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) { part(text.slice(start)); break; }
      part(text.slice(start, end));
      if (end === cr && cr === text.length - 1) { pendingCr = true; start = text.length; break; }
      endLine();
      start = end + (end === cr && text[cr + 1] === '\n' ? 2 : 1);
      if (words.out.length >= PIECE) { yield words.out; words.out = ''; }
    }
    if (words.out.length >= PIECE) { yield words.out; words.out = ''; }
  }
  endLine();
  if (words.out) yield words.out;
}

/** The text in slices, decoded as normaliseComplaintBytes decodes it. */
function* decodedSlices(raw: Uint8Array | string, slice: number): Generator<string> {
  if (typeof raw === 'string') {
    let i = 0;
    while (i < raw.length) {
      // Not between the halves of a surrogate pair: each piece is hashed as UTF-8 on its own.
      let end = Math.min(raw.length, i + slice);
      const last = raw.charCodeAt(end - 1);
      if (end < raw.length && last >= 0xd800 && last <= 0xdbff) end++;
      yield raw.slice(i, end);
      i = end;
    }
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let i = 0; i < raw.length; i += slice) yield decoder.decode(raw.subarray(i, i + slice), { stream: true });
  yield decoder.decode();
}
