/**
 * Turning what an operator types into safe SQL: an FTS5 MATCH expression in
 * which every user word is a quoted string (so `"`, `*`, `:`, `(`, `-`, `NEAR`,
 * `AND` … are plain text, never syntax), and the WHERE clause of the filters.
 */
import { cidrKeyRange } from './address-key';
import { StoreError } from './errors';
import type { SqlValue } from './database';
import { CASE_STATUSES, VERDICTS, type CaseFilters } from './types';

/**
 * Build an FTS5 query from free text. Words are ANDed; "double quoted" parts
 * are phrases; a plain word of three or more letters also matches as a prefix
 * ("scan" finds "scanning"). Returns null when nothing searchable remains.
 */
export function ftsQuery(input: string): string | null {
  const parts: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    const phrase = m[1];
    const word = m[2];
    if (phrase !== undefined) {
      if (/[\p{L}\p{N}]/u.test(phrase)) parts.push(quote(phrase));
      continue;
    }
    // Drop what cannot match a token anyway (pure punctuation), keep the rest verbatim inside quotes.
    if (!/[\p{L}\p{N}]/u.test(word)) continue;
    const prefix = /^[\p{L}]{3,}$/u.test(word);
    parts.push(prefix ? `${quote(word)}*` : quote(word));
  }
  return parts.length ? parts.join(' AND ') : null;
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A date filter bound as ms since the epoch; `end` makes a date without a time cover the whole day. */
export function parseDateBound(v: number | string | undefined, end: boolean): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'number') return v;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
  const ms = Date.parse(dateOnly ? `${v.trim()}T00:00:00Z` : v);
  if (!Number.isFinite(ms)) throw new StoreError('invalid', `"${v}" is not a date (use e.g. 2024-05-01 or 2024-05-01T10:00:00Z).`);
  return dateOnly && end ? ms + 86_400_000 : ms;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** SQL conditions on the `c` (cases) alias for the filters, with their parameters. */
export function filterSql(f: CaseFilters, hints: { manyAccused?: boolean } = {}): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const statuses = asList(f.status);
  if (statuses.length) {
    for (const s of statuses) if (!CASE_STATUSES.includes(s)) throw new StoreError('invalid', `Unknown status "${s}" (one of ${CASE_STATUSES.join(', ')}).`);
    where.push(`c.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  const verdicts = asList(f.verdict);
  if (verdicts.length) {
    for (const v of verdicts) if (!VERDICTS.includes(v)) throw new StoreError('invalid', `Unknown verdict "${v}" (one of ${VERDICTS.join(', ')}).`);
    where.push(`c.verdict IN (${verdicts.map(() => '?').join(', ')})`);
    params.push(...verdicts);
  }
  const from = parseDateBound(f.from, false);
  if (from !== undefined) { where.push('c.received_at >= ?'); params.push(from); }
  const to = parseDateBound(f.to, true);
  if (to !== undefined) { where.push('c.received_at < ?'); params.push(to); }
  if (f.accused) {
    const range = cidrKeyRange(f.accused);
    if (!range) throw new StoreError('invalid', `"${f.accused}" is not an address or CIDR (use e.g. 198.51.100.10 or 198.51.100.0/24).`);
    // Few cases in the range (the caller counts them on the address index): collect them from that index.
    // Many: walk the cases in list order and check each, stopping at the page's end.
    if (!hints.manyAccused) where.push("c.id IN (SELECT case_id FROM case_addresses WHERE role = 'accused' AND addr_key BETWEEN ? AND ?)");
    else where.push("EXISTS (SELECT 1 FROM case_addresses a WHERE a.case_id = c.id AND a.role = 'accused' AND a.addr_key BETWEEN ? AND ?)");
    params.push(range.lo, range.hi);
  }
  if (f.reporterDomain) {
    const d = f.reporterDomain.trim().toLowerCase().replace(/^@/, '');
    const rev = reverseDomain(d);
    where.push('(c.reporter_domain_rev = ? OR (c.reporter_domain_rev > ? AND c.reporter_domain_rev < ?))');
    params.push(rev, `${rev}.`, `${rev}/`); // '/' sorts right after '.'
  }
  if (f.tag) {
    where.push('c.id IN (SELECT case_id FROM tags WHERE tag = ?)');
    params.push(f.tag);
  }
  return { where, params };
}

export function pageBounds(f: CaseFilters): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(f.limit ?? 50), 1), 1000);
  const offset = Math.max(Math.trunc(f.offset ?? 0), 0);
  return { limit, offset };
}

/** "abuse.example.net" → "net.example.abuse". */
export function reverseDomain(d: string): string {
  return d.toLowerCase().split('.').reverse().join('.');
}

/** Above this many accused-address rows in a CIDR, filterSql walks the cases instead of collecting ids. */
export const MANY_ACCUSED = 2000;

/** SQL counting (up to MANY_ACCUSED) the accused-address rows in a range; parameters lo, hi. */
export const COUNT_ACCUSED_SQL = `SELECT count(*) AS n FROM (SELECT 1 FROM case_addresses WHERE role = 'accused' AND addr_key BETWEEN ? AND ? LIMIT ${MANY_ACCUSED})`;
