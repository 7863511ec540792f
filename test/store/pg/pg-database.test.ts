/**
 * The SQL the PostgreSQL handle sends: `?` numbered outside quoted text and
 * comments, RETURNING id on an INSERT into a table with an id; text made
 * storable (search.test.ts: the search query built as FTS5 reads it).
 */
import { describe, expect, it } from 'vitest';
import { pgText, redactUrl, toPgSql } from '../../../store/pg/pg-database';

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
