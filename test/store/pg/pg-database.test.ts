/**
 * The SQL the PostgreSQL handle sends: `?` numbered outside quoted text and
 * comments, RETURNING id on an INSERT into a table with an id, and the
 * search query built the way FTS5 reads the same words.
 */
import { describe, expect, it } from 'vitest';
import { pgText, redactUrl, toPgSql } from '../../../store/pg/pg-database';
import { boundedWords, searchWords, tsQuery } from '../../../store/pg/search';
import { ftsQuery } from '../../../store/search';

describe('toPgSql', () => {
  it('numbers placeholders, leaving ? inside strings, identifiers and comments alone', () => {
    expect(toPgSql("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? -- why?\n AND e IN (?, ?)"))
      .toBe("SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2 -- why?\n AND e IN ($3, $4)");
    expect(toPgSql("SELECT 'it''s ?' , ?")).toBe("SELECT 'it''s ?' , $1");
  });

  it('adds RETURNING id to an INSERT into a table with an id only', () => {
    expect(toPgSql('INSERT INTO notes (case_id, body, created_at) VALUES (?, ?, ?)')).toBe('INSERT INTO notes (case_id, body, created_at) VALUES ($1, $2, $3) RETURNING id');
    expect(toPgSql('INSERT INTO tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING')).toBe('INSERT INTO tags (case_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING');
    expect(toPgSql('INSERT INTO cases (x) VALUES (?) RETURNING id, x')).toBe('INSERT INTO cases (x) VALUES ($1) RETURNING id, x');
  });

  it('never shows the password of a URL', () => {
    expect(redactUrl('postgres://desk:s3cret@db.example:5432/cases')).toBe('postgres://desk:***@db.example:5432/cases');
    expect(redactUrl('postgres://desk@db.example/cases')).toBe('postgres://desk@db.example/cases');
  });
});

describe('pgText', () => {
  it('stores NUL as U+FFFD in text and in JSON, and leaves everything else alone', () => {
    expect(pgText('scan\u0000x')).toBe('scan\uFFFDx');
    const json = JSON.stringify({ subject: 'scan\u0000x', literal: '\\u0000 typed', both: '\\\u0000' });
    expect(JSON.parse(pgText(json))).toEqual({ subject: 'scan\uFFFDx', literal: '\\u0000 typed', both: '\\\uFFFD' });
    expect(pgText('a plain \\u0000 in text')).toBe('a plain \\u0000 in text');
    const clean = JSON.stringify({ a: 'no nul here' });
    expect(pgText(clean)).toBe(clean);
  });
});

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
