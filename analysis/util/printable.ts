/**
 * Text from a complaint or a bundle made safe to show: anyone can mail the
 * abuse desk, and a Subject holding ESC sequences can retitle the operator's
 * terminal, clear it and print "all clear" in red; bidi overrides make
 * "gnp.exe" read as "exe.png". Before such a string reaches a terminal, a
 * file name or a mail header it loses:
 * - C0 controls and DEL (ESC, BEL, CR, backspace...), keeping \n and \t only
 *   where multi-line text is printed; whole ESC sequences (CSI, OSC) go at once
 *   so no "[2J" debris is left;
 * - C1 controls (U+0080-U+009F; U+009B is an 8-bit CSI to some terminals);
 * - bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
 * The stored original is never changed: only what is shown or derived.
 */

/**
 * ESC sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST; never
 * past a line end, so an unterminated one cannot swallow the lines after
 * it), and the short ones (ESC c, ESC ( B).
 */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|[ -/]*[0-~]?)/g;
/** 8-bit CSI and OSC (U+009B, U+009D) with their parameters. */
const C1_SEQUENCE = /\u009b[0-?]*[ -/]*[@-~]?|\u009d[^\u0007\u009c\u001b\n]*[\u0007\u009c]?/g;
const BIDI = '\u202a-\u202e\u2066-\u2069';
const UNSAFE_LINE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI}]`, 'g');
const UNSAFE_TEXT = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI}]`, 'g');
/** What JSON.stringify leaves raw but a terminal may act on. */
const JSON_UNSAFE = new RegExp(`[\\u007f-\\u009f${BIDI}\\u2028\\u2029]`, 'g');

function dropSequences(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, '').replace(C1_SEQUENCE, '');
}

/** One line (a subject, a name, a table cell): line breaks and tabs become spaces, other controls and bidi marks go. */
export function printableLine(s: string): string {
  return dropSequences(s).replace(/\r\n|[\t\n\r\u000b\u000c]/g, ' ').replace(UNSAFE_LINE, '');
}

/** Multi-line text (a report, a reply body): keeps \n and \t, turns CRLF into \n, drops every other control and bidi mark. */
export function printableText(s: string): string {
  return dropSequences(s).replace(/\r\n/g, '\n').replace(UNSAFE_TEXT, '');
}

/**
 * A name to use as a file name: one printable line without path separators
 * ("../x" cannot climb), never empty, "." or "..".
 */
export function printableFileName(s: string, fallback = 'attachment'): string {
  const name = printableLine(s).replace(/[/\\]/g, '_').trim();
  return name === '' || /^\.+$/.test(name) ? fallback : name;
}

/**
 * JSON for a terminal: the same value (it parses back equal), with the
 * characters JSON.stringify leaves raw (DEL, C1, bidi, U+2028/9) written
 * as \u escapes. C0 controls JSON escapes itself.
 */
export function terminalJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** True when `s` holds nothing printableText would remove. */
export function isPrintableText(s: string): boolean {
  return printableText(s) === s;
}
