/** The PostgreSQL search: words cut and bounded as FTS5 cuts them, the query built the way FTS5 reads the same words. */
import { describe, expect, it } from 'vitest';
import { boundedWords, searchWords, tsQuery } from '../../../store/pg/search';
import { ftsQuery } from '../../../store/search';

describe('search words and tsquery', () => {
  it('cuts text as FTS5 unicode61 does: letters and digits, no case, no diacritics', () => {
    expect(searchWords('Abuse@Example.NET reported 198.51.100.10:22 — Überprüfung, naïve x_y')).toBe('abuse example net reported 198 51 100 10 22 uberprufung naive x y');
  });

  it('keeps a document within what a tsvector holds: words in order, new words left out once the budget is spent', () => {
    expect(boundedWords('port scan from port 22')).toBe('port scan from port 22');
    const many = Array.from({ length: 20_000 }, (_, i) => `w${String(i).padStart(60, '0')}`);
    const kept = boundedWords([...many, 'port', many[0]].join(' ')).split(' ');
    expect(kept.length).toBeLessThan(many.length);
    expect(kept.slice(0, 100)).toEqual(many.slice(0, 100));
    expect(kept.at(-1)).toBe(many[0]); // a word already in keeps its later places
    expect(kept).not.toContain('port'); // a new one after the budget does not
  });

  it('reads a query as ftsQuery does: AND, phrases, prefixes of plain words of 3+ letters', () => {
    const cases: Array<[string, string | null]> = [
      ['scan', "'scan':*"],
      ['ssh brute', "'ssh':* & 'brute':*"],
      ['"port scan"', "('port' <-> 'scan')"],
      ['198.51.100.10', "('198' <-> '51' <-> '100' <-> '10')"],
      ['ab', "'ab'"],
      ['Überprüfung', "'uberprufung':*"],
      ['" ( ) * AND', "'and'"], // an unclosed quote: one phrase to the end, as ftsQuery reads it
      ['\u0000 -- ;', null],
    ];
    for (const [q, want] of cases) {
      expect(tsQuery(q), q).toBe(want);
      // Nothing searchable on one side means nothing on the other.
      expect(ftsQuery(q) === null, q).toBe(want === null);
    }
  });
});
