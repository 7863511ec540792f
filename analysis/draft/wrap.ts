/**
 * Plain-text mail lines: wrapped at 72 characters (RFC 5322 2.1.1 asks for at
 * most 78; 72 leaves room for the "> " a reply adds), so the letter reads the
 * same in every client and a quoted reply does not turn into ragged lines.
 *
 * A continuation keeps the line's structure: a list item continues under its
 * text, an indented record (the evidence table) continues indented four more,
 * a quoted line continues quoted. A word longer than the width (a URL) is
 * never cut: it stands on a line of its own.
 */

export const MAIL_LINE_WIDTH = 72;

/** The leading part a continuation repeats: quote marks, indent and, for a list item, spaces under its marker. */
function continuationPrefix(line: string): { first: string; rest: string; text: string } {
  const quote = /^(?:> ?)+/.exec(line)?.[0] ?? '';
  const afterQuote = line.slice(quote.length);
  const indent = /^ */.exec(afterQuote)![0];
  const afterIndent = afterQuote.slice(indent.length);
  const bullet = /^(?:[-*] |\d{1,3}[.)] )/.exec(afterIndent)?.[0] ?? '';
  const first = quote + indent + bullet;
  // An indented record without a marker continues deeper, so the eye sees one record.
  const rest = quote + indent + (bullet ? ' '.repeat(bullet.length) : indent.length ? '    ' : '');
  return { first, rest, text: afterIndent.slice(bullet.length) };
}

/** One logical line as several lines of at most `width` characters (a longer single word excepted). */
export function wrapLine(line: string, width = MAIL_LINE_WIDTH): string[] {
  const trimmed = line.replace(/\s+$/, '');
  if (trimmed.length <= width) return [trimmed];
  const { first, rest, text } = continuationPrefix(trimmed);
  const words = text.split(/ +/).filter(Boolean);
  const out: string[] = [];
  let current = first;
  let empty = true;
  for (const word of words) {
    if (!empty && current.length + 1 + word.length > width) {
      out.push(current);
      current = rest;
      empty = true;
    }
    current += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty || !out.length) out.push(current);
  return out;
}

/** Every line of a text wrapped; the signature separator "-- " keeps its trailing space. */
export function wrapText(text: string, width = MAIL_LINE_WIDTH): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .flatMap((line) => (line === '-- ' ? [line] : wrapLine(line, width)))
    .join('\n');
}
