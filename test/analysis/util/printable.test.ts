import { describe, expect, it } from 'vitest';
import { isPrintableText, printableFileName, printableLine, printableText, terminalJson } from '../../../analysis/util/printable';

/** What must never reach a terminal from someone else's text. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'Scan \u001b]0;pwned\u0007\u001b[2J\u001b[H\u001b[31mFAKE: all clear\u001b[0m\r\nX-Evil: 1\u009b2J \u202egnp.exe\u2066x\u2069\u0008\u0000 end';

describe('printable', () => {
  it('one line: whole escape sequences go, line breaks become spaces, the words stay', () => {
    const s = printableLine(HOSTILE);
    expect(s).not.toMatch(UNSAFE);
    expect(s).not.toMatch(/\n/);
    expect(s).toBe('Scan FAKE: all clear X-Evil: 1 gnp.exex end');
  });

  it('multi-line text keeps \\n and \\t, loses CR and every other control', () => {
    expect(printableText('a\tb\r\nc\rd\u001b[1me\u0085f\u202eg\n')).toBe('a\tb\ncdef' + 'g\n');
    expect(printableText(HOSTILE)).not.toMatch(UNSAFE);
    expect(isPrintableText('plain\ttext\n')).toBe(true);
    expect(isPrintableText('x\u001b[2J')).toBe(false);
  });

  it('an unterminated OSC ends at the line end: the lines after it are kept', () => {
    expect(printableText('title \u001b]0;evil\nnext line\n')).toBe('title \nnext line\n');
  });

  it('file names: no separators, no controls, never empty or dots', () => {
    expect(printableFileName('../../etc/\u001b[2Jpasswd')).toBe('.._.._etc_passwd');
    expect(printableFileName('report\u202eslx.exe')).toBe('reportslx.exe');
    expect(printableFileName('\u001b[2J', 'part-1.bin')).toBe('part-1.bin');
    expect(printableFileName('..')).toBe('attachment');
  });

  it('terminal JSON parses back to the same value and holds no raw C1, DEL or bidi character', () => {
    const value = { subject: HOSTILE, list: ['\u0085', '\u2028'] };
    const text = terminalJson(value);
    expect(text).not.toMatch(UNSAFE);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
    expect(terminalJson({ a: 1 })).toBe(JSON.stringify({ a: 1 }, null, 2));
  });
});
