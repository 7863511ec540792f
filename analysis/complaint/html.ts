/**
 * HTML to plain text by string scanning only: nothing is parsed into a DOM,
 * nothing is evaluated. Script, style and similar elements lose their
 * content; every tag is dropped; entities are decoded once.
 */

/** Elements whose content is never text a person reads. */
const DROP_CONTENT = ['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'head', 'title', 'xml'];

const BLOCK = /^(?:p|div|br|tr|li|ul|ol|table|h[1-6]|pre|blockquote|hr|section|article|header|footer|dd|dt|dl|address|center)$/i;

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', hellip: '…',
  mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', euro: '€',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    return NAMED[ent] ?? NAMED[ent.toLowerCase()] ?? whole;
  });
}

export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) { out += html.slice(i); break; }
    out += html.slice(i, lt);
    // Comments, CDATA, doctype and processing instructions.
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (html.startsWith('<!', lt) || html.startsWith('<?', lt)) {
      const end = html.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const m = /^<\/?([a-z][a-z0-9-]*)/i.exec(html.slice(lt, lt + 40));
    if (!m) { out += '<'; i = lt + 1; continue; }
    const name = m[1].toLowerCase();
    const close = tagEnd(html, lt + m[0].length);
    const isClosing = html[lt + 1] === '/';
    if (!isClosing && DROP_CONTENT.includes(name)) {
      // Skip to the matching end tag; an unclosed one swallows the rest.
      const endTag = lower.indexOf(`</${name}`, close);
      if (endTag < 0) { i = n; break; }
      i = tagEnd(html, endTag + name.length + 2);
      continue;
    }
    if (BLOCK.test(name)) out += '\n';
    else if (name === 'td' || name === 'th') out += isClosing ? '\t' : '';
    i = close;
  }
  const text = decodeEntities(out)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
  // Entities can spell markup (&lt;script&gt;); the text is never HTML again, but drop spelled active tags too.
  return text.replace(/<\/?(?:script|style|iframe|object|embed|svg|img|link|meta|form|input|body|html|head)\b[^>]*>/gi, '').trim();
}

/** Index just past the '>' that ends a tag starting before `from`, honouring quoted attribute values. */
function tagEnd(html: string, from: number): number {
  let quote = '';
  for (let j = from; j < html.length; j++) {
    const c = html[j];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j + 1;
    else if (c === '<' && j - from > 0) return j; // a broken tag: resynchronise at the next one
  }
  return html.length;
}
