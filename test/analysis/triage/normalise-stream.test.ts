import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseComplaintBytes } from '../../../analysis/triage/normalise';
import { normaliseComplaintPieces } from '../../../analysis/triage/normalise-stream';
import { fcParams, fuzzRuns, seedLabel } from '../../helpers/fuzz-seed';
import { corpusDir, filesIn } from '../../helpers/paths';

const joined = (raw: Uint8Array | string): string => [...normaliseComplaintPieces(raw)].join('');

/** Text made of the parts the normaliser treats specially: line ends of three kinds, quote marks, folded varying headers, casing with context. */
const part = fc.constantFrom(
  '\r\n', '\r', '\n', '\n\n', ' ', '\t', '  \t ', '\u00a0', '\u2028', '\ufeff', '>', '> > ', ' >', 'Received: from x', '\tby mx2;', ' cont',
  'Date: Mon, 1 Jan 2026', 'X-Spam-Score: 1', 'ARC-Seal: i=1', 'Subject: Scan', 'From: a@example.org', 'ΟΔΟΣ', 'Σ', 'İ', 'ǅ', 'Straße', '😀', 'x', 'Your host 198.51.100.7',
);
const text = fc.array(fc.oneof(part, fc.string({ maxLength: 6 })), { maxLength: 60 }).map((p) => p.join(''));

describe(`normaliseComplaintPieces, ${seedLabel()}`, () => {
  it('joined, the pieces are normaliseComplaintBytes of the same text or bytes', () => {
    fc.assert(fc.property(text, (t) => {
      expect(joined(t)).toBe(normaliseComplaintBytes(t));
      const bytes = new TextEncoder().encode(t);
      expect(joined(bytes)).toBe(normaliseComplaintBytes(bytes));
    }), fcParams(fuzzRuns(3000)));
  });

  it('the same when cut everywhere: slices of 1 to 9 characters or bytes, lines decided after their first 64 to 96 characters', () => {
    // (A line head shorter than its quote marks and header name decides differently: the documented exception.)
    const sizes = fc.record({ slice: fc.integer({ min: 1, max: 9 }), lineHead: fc.integer({ min: 64, max: 96 }) });
    fc.assert(fc.property(text, sizes, (t, z) => {
      expect([...normaliseComplaintPieces(t, z)].join('')).toBe(normaliseComplaintBytes(t));
      const bytes = new TextEncoder().encode(t);
      expect([...normaliseComplaintPieces(bytes, z)].join('')).toBe(normaliseComplaintBytes(bytes));
    }), fcParams(fuzzRuns(3000)));
  });

  it('the same across its 1 MiB slices: a CRLF, a multi-byte character, a surrogate pair and a sigma split between two, malformed UTF-8, a BOM', () => {
    const MiB = 1 << 20;
    const cases: Array<Uint8Array | string> = [
      `${'a'.repeat(MiB - 1)}\r\nDate: x\r\n continued\r\nSubject: Big`,
      // The CRLF after a varying header split between two slices: its folded continuation is still dropped.
      `${'a'.repeat(MiB - 'Date: x\r'.length - 1)}\nDate: x\r\n continued\nSubject: Big`,
      `${'a'.repeat(MiB - 1)}\r${'b'.repeat(10)}\n`,
      `${'a'.repeat(MiB - 1)}😀 Σ. ${'c'.repeat(MiB)}`,
      // A capital sigma ending a slice in a run of Greek letters: it lower-cases by the letter after it (σ, not final ς).
      `${'α'.repeat(MiB - 1)}Σβγ ΑΣ`,
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`${'é'.repeat(MiB / 2)}x`), 0xff, 0xc3, 0x0a, 0x41]),
      new Uint8Array([...new Array<number>(MiB - 1).fill(0x41), 0xe2, 0x82, 0xac, 0x20, 0x42]),
    ];
    for (const c of cases) expect(joined(c)).toBe(normaliseComplaintBytes(c));
  });

  it('the same for every real complaint of the corpus', () => {
    const files = filesIn(join(corpusDir, 'complaints'), /\.(eml|json|csv)$/);
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(f));
      expect(joined(bytes), f).toBe(normaliseComplaintBytes(bytes));
    }
  });
});
