/**
 * Listing and full-text search. What an operator types becomes safe SQL: an
 * FTS5 MATCH expression in which every user word is a quoted string (so `"`,
 * `*`, `:`, `(`, `-`, `NEAR`, `AND` … are plain text, never syntax), and the
 * WHERE clause of the filters; a page of ids is found first, then the
 * summaries of that page only.
 */
import { cidrKeyRange } from './address-key';
import { SUMMARY_COLS, toSummary, type SummaryRow } from './cases/rows';
import { StoreError } from './errors';
import type { SqlValue } from './database';
import { searchPagePg } from './pg/search';
import { read, type StoreContext } from './transaction';
import { CASE_STATUSES, VERDICTS, type CaseFilters, type CaseSummary, type Page, type SearchHit } from './types';

export interface SearchOptions extends CaseFilters {
  /** 'newest' (default: most recently created first; fastest) or 'relevance' (BM25). */
  order?: 'newest' | 'relevance';
}

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

/**
 * The words of a query that are address blocks ("10.0.2.0/24", "2001:db8::/32"):
 * full-text search would cut them into numbers and find nothing, so they are
 * matched against the cases' addresses (accused and complainant alike), and
 * the rest of the query against the text. A bare address stays a text word:
 * it is found wherever the case mentions it.
 */
export function splitCidrs(query: string): { text: string; ranges: Array<{ lo: string; hi: string }> } {
  const ranges: Array<{ lo: string; hi: string }> = [];
  const text = query.replace(/"[^"]*"?|\S+/g, (w) => {
    const r = !w.startsWith('"') && w.includes('/') ? cidrKeyRange(w) : null;
    if (!r) return w;
    ranges.push({ lo: r.lo, hi: r.hi });
    return '';
  });
  return { text, ranges };
}

/** One condition per address block: the case has an address inside it. */
function cidrSql(ranges: Array<{ lo: string; hi: string }>): { where: string[]; params: SqlValue[] } {
  return {
    where: ranges.map(() => 'c.id IN (SELECT case_id FROM case_addresses WHERE addr_key BETWEEN ? AND ?)'),
    params: ranges.flatMap((r) => [r.lo, r.hi]),
  };
}

/** "«10.0.2.35» «10.0.2.40»": the addresses of each case that fall in the blocks searched for. */
async function cidrSnippets(ctx: StoreContext, ids: number[], ranges: Array<{ lo: string; hi: string }>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!ids.length || !ranges.length) return out;
  const rows = await ctx.db.all<{ case_id: number; address: string }>(
    `SELECT DISTINCT case_id, address FROM case_addresses WHERE case_id IN (${ids.map(() => '?').join(',')})
       AND (${ranges.map(() => 'addr_key BETWEEN ? AND ?').join(' OR ')}) ORDER BY case_id, address`,
    [...ids, ...ranges.flatMap((r) => [r.lo, r.hi])]);
  for (const r of rows) out.set(r.case_id, `${out.has(r.case_id) ? `${out.get(r.case_id)} ` : ''}«${r.address}»`);
  return out;
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
export const COUNT_ACCUSED_SQL = `SELECT count(*) AS n FROM (SELECT 1 FROM case_addresses WHERE role = 'accused' AND addr_key BETWEEN ? AND ? LIMIT ${MANY_ACCUSED}) AS hits`;

/** How many cases an accused-CIDR filter covers decides how filterSql queries it. */
async function filterHints(ctx: StoreContext, f: CaseFilters): Promise<{ manyAccused: boolean }> {
  const range = f.accused ? cidrKeyRange(f.accused) : null;
  if (!range) return { manyAccused: false };
  const row = await read(ctx, () => ctx.db.get<{ n: number }>(COUNT_ACCUSED_SQL, [range.lo, range.hi]));
  return { manyAccused: (row?.n ?? 0) >= MANY_ACCUSED };
}

export async function listCases(ctx: StoreContext, filters: CaseFilters = {}, extra: { where: string[]; params: SqlValue[] } = { where: [], params: [] }): Promise<Page<CaseSummary>> {
  const f = filterSql(filters, await filterHints(ctx, filters));
  const where = [...f.where, ...extra.where];
  const params = [...f.params, ...extra.params];
  const { limit, offset } = pageBounds(filters);
  return read(ctx, async () => {
    // Page first, then the per-row subqueries (accused, tags) for that page only: SQLite would otherwise
    // compute them for every matching row before sorting.
    const rows = await ctx.db.all<SummaryRow>(
      `WITH page AS (SELECT c.id, c.received_at FROM cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY c.received_at DESC, c.id DESC LIMIT ? OFFSET ?)
       SELECT ${SUMMARY_COLS} FROM page JOIN cases c ON c.id = page.id ORDER BY page.received_at DESC, page.id DESC`,
      [...params, limit + 1, offset],
    );
    return { items: rows.slice(0, limit).map(toSummary), offset, limit, hasMore: rows.length > limit };
  });
}

export async function searchCases(ctx: StoreContext, query: string, filters: SearchOptions = {}): Promise<Page<SearchHit>> {
  const { text, ranges } = splitCidrs(query);
  const cidrs = cidrSql(ranges);
  const match = ftsQuery(text);
  if (match === null) {
    const page = await listCases(ctx, filters, cidrs);
    const snippets = await read(ctx, () => cidrSnippets(ctx, page.items.map((c) => c.id), ranges));
    return { ...page, items: page.items.map((c) => ({ ...c, snippet: snippets.get(c.id) ?? '' })) };
  }
  const f = filterSql(filters, await filterHints(ctx, filters));
  const where = [...f.where, ...cidrs.where];
  const params = [...f.params, ...cidrs.params];
  const { limit, offset } = pageBounds(filters);
  const order = filters.order === 'relevance' ? 'case_fts.rank' : 'case_fts.rowid DESC';
  return read(ctx, async () => {
    // The page of ids (and snippets) first, then the summaries of that page only.
    const hits = ctx.db.dialect === 'postgres'
      ? await searchPagePg(ctx.db, text, where, params, filters.order ?? 'newest', limit + 1, offset)
      : await ctx.db.all<{ id: number; snippet: string }>(
        `SELECT case_fts.rowid AS id, snippet(case_fts, -1, '«', '»', '…', 12) AS snippet
         FROM case_fts JOIN cases c ON c.id = case_fts.rowid
         WHERE case_fts MATCH ? ${where.map((w) => `AND ${w}`).join(' ')}
         ORDER BY ${order} LIMIT ? OFFSET ?`,
        [match, ...params, limit + 1, offset],
      );
    const page = hits.slice(0, limit);
    const rows = page.length
      ? await ctx.db.all<SummaryRow>(`SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id IN (${page.map(() => '?').join(',')})`, page.map((h) => h.id))
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = page.filter((h) => byId.has(h.id)).map((h) => ({ ...toSummary(byId.get(h.id)!), snippet: h.snippet }));
    return { items, offset, limit, hasMore: hits.length > limit };
  });
}
