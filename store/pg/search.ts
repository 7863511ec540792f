/**
 * Full-text search on PostgreSQL, finding what FTS5 finds on SQLite.
 *
 * FTS5 (unicode61, remove_diacritics 2) cuts text into runs of letters and
 * digits, folds case and drops diacritics. PostgreSQL's parser would keep
 * "abuse@example.net" or "198.51.100.10" whole, so the text is cut the FTS5
 * way here, in JS, before `to_tsvector('simple', …)` sees it, and the query
 * is built from the same words in the same way (search.ts ftsQuery): words
 * ANDed, "quoted" parts and dotted words as phrases (<->), a plain word of 3+
 * letters as a prefix (:*). websearch_to_tsquery has no prefix match ("scan"
 * would not find "scanning" as it does on SQLite), so the tsquery is written
 * here, every lexeme quoted and made of letters and digits only.
 */
import type { Db, SqlValue } from '../db';

/** FTS5 unicode61's view of text: lower case, no diacritics, runs of letters and digits separated by single spaces. */
export function searchWords(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/[^\p{L}\p{N}\p{Co}]+/gu, ' ').trim();
}

const lexeme = (w: string): string => `'${w}'`;

/** How much of a case's text snippets are cut from. */
const SNIPPET_TEXT_CHARS = 100_000;

/** What a tsvector may hold (1 MiB, PostgreSQL's limit), with room for the estimate's error. */
const TSVECTOR_BUDGET = 800_000;
/** Positions past this one are all filed at it (PostgreSQL's limit), so they cost nothing more. */
const MAX_POSITION = 16_383;

/**
 * The words of a search document within what a tsvector can hold. A 2 MB
 * complaint of hashes or message IDs has more distinct words than fit: the
 * words are kept in order, and once the budget is spent a word not seen
 * before is left out (its later repeats too), so the write never fails and
 * everything up to there is found as on SQLite. Only such giant texts lose
 * their last new words from the index.
 */
export function boundedWords(text: string): string {
  const words = text.split(' ').filter(Boolean);
  const seen = new Set<string>();
  let size = 0;
  let full = false;
  const kept: string[] = [];
  for (const w of words) {
    if (!seen.has(w)) {
      const cost = Buffer.byteLength(w) + 8;
      full ||= size + cost > TSVECTOR_BUDGET;
      if (full) continue;
      seen.add(w);
      size += cost;
    }
    if (kept.length < MAX_POSITION) size += 2;
    kept.push(w);
  }
  return kept.join(' ');
}

/** The tsquery for what the operator typed (the same reading as ftsQuery), or null when nothing searchable remains. */
export function tsQuery(input: string): string | null {
  const parts: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    const text = m[1] ?? m[2];
    const words = searchWords(text).split(' ').filter(Boolean);
    if (!words.length) continue;
    const prefix = m[1] === undefined && /^[\p{L}]{3,}$/u.test(text) && words.length === 1;
    parts.push(prefix ? `${lexeme(words[0])}:*` : words.length === 1 ? lexeme(words[0]) : `(${words.map(lexeme).join(' <-> ')})`);
  }
  return parts.length ? parts.join(' & ') : null;
}

/** Rewrite one case's search document (what SQLite's case_fts row holds). */
export async function refreshSearchPg(tx: Db, caseId: number): Promise<void> {
  const c = await tx.get<{ subject: string | null; complaint_text: string; reporter: string }>(
    `SELECT subject, complaint_text,
            trim(coalesce(reporter_address, '') || ' ' || coalesce(reporter_name, '') || ' ' || coalesce(reporter_domain, '')) AS reporter
     FROM cases WHERE id = ?`, [caseId]);
  if (!c) return;
  const addresses = await tx.all<{ address: string }>('SELECT address FROM case_addresses WHERE case_id = ? ORDER BY role, address', [caseId]);
  const drafts = await tx.all<{ subject: string; body: string }>('SELECT subject, body FROM drafts WHERE case_id = ? ORDER BY version', [caseId]);
  const { words, content } = searchDocument(c, addresses.map((a) => a.address), drafts);
  await tx.run(
    `INSERT INTO case_search (case_id, doc, content) VALUES (?, to_tsvector('simple', ?), ?)
     ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc, content = excluded.content`,
    [caseId, words, content]);
}

/**
 * A case's search document: the words to index (as FTS5 cuts them, bounded) and the text snippets are cut
 * from. `addresses` ordered by role and address, `drafts` by version (as SQLite's case_fts row holds them).
 */
export function searchDocument(c: { subject: string | null; complaint_text: string; reporter: string }, addresses: readonly string[],
  drafts: ReadonlyArray<{ subject: string; body: string }>): { words: string; content: string } {
  const fields = [c.subject ?? '', c.complaint_text, c.reporter, addresses.join(' '), drafts.map((d) => `${d.subject} ${d.body}`).join(' ')];
  // The text snippets are cut from: its start is enough, and ts_headline re-reads all of it for every hit.
  return { words: boundedWords(fields.map(searchWords).join(' ')), content: fields.filter(Boolean).join('\n').slice(0, SNIPPET_TEXT_CHARS) };
}

/** The newest cases a newest-first search looks through first (see searchPagePg). */
export const RECENT_WINDOW = 4000;

/**
 * The page of matching case ids (newest or most relevant first) with a snippet each; `limit` rows at most.
 *
 * Newest first, the planner's way (walk the cases backwards, test each) is quick for a word most cases
 * hold and slow for words that are each common but seldom together ("rdp telnet", an address's digits):
 * it walks the whole table to find a handful. So the newest `window` cases are searched first: holding
 * the page, they are the answer; holding at least half of it, walking on backwards finds the rest soon;
 * holding less, the matches come from the word index (GIN) alone, then sorted.
 */
export async function searchPagePg(db: Db, query: string, where: string[], params: SqlValue[], order: 'newest' | 'relevance', limit: number, offset: number,
  window = RECENT_WINDOW): Promise<Array<{ id: number; snippet: string }>> {
  const q = tsQuery(query);
  if (q === null) return [];
  const filters = where.map((w) => `AND ${w}`).join(' ');
  const matching = `FROM to_tsquery('simple', ?) q, case_search s JOIN cases c ON c.id = s.case_id WHERE s.doc @@ q ${filters}`;
  if (order === 'relevance') {
    return headlines(db, q, `SELECT s.case_id, ts_rank(s.doc, q) AS r ${matching} ORDER BY ts_rank(s.doc, q) DESC, s.case_id DESC LIMIT ? OFFSET ?`,
      [q, ...params, limit, offset], true);
  }
  const need = offset + limit;
  const recent = await db.all<{ case_id: number }>(
    // An id range, so the walk backwards through it stops as soon as the page is full.
    `SELECT s.case_id FROM to_tsquery('simple', ?) q, case_search s JOIN cases c ON c.id = s.case_id
     WHERE s.case_id > (SELECT max(case_id) FROM case_search) - ? AND s.doc @@ q ${filters} ORDER BY s.case_id DESC LIMIT ?`, [q, window, ...params, need]);
  if (recent.length >= need) {
    // The newest cases hold the page: they are the newest matches.
    const ids = `{${recent.map((r) => r.case_id).join(',')}}`;
    return headlines(db, q, 'SELECT case_id, 0 AS r FROM unnest(?::bigint[]) AS t(case_id) ORDER BY case_id DESC LIMIT ? OFFSET ?', [ids, limit, offset], false);
  }
  const page = recent.length * 2 >= need
    ? `SELECT s.case_id, 0 AS r ${matching} ORDER BY s.case_id DESC LIMIT ? OFFSET ?`
    // MATERIALIZED: planned on its own, the match is read from the index instead of by walking backwards.
    : `WITH m AS MATERIALIZED (SELECT s.case_id FROM to_tsquery('simple', ?) q, case_search s WHERE s.doc @@ q)
       SELECT m.case_id, 0 AS r FROM m JOIN cases c ON c.id = m.case_id WHERE true ${filters} ORDER BY m.case_id DESC LIMIT ? OFFSET ?`;
  return headlines(db, q, page, [q, ...params, limit, offset], false);
}

/** The page's ids with a snippet each: the headlines (which re-read the text) for that page only. */
async function headlines(db: Db, q: string, page: string, params: SqlValue[], byRank: boolean): Promise<Array<{ id: number; snippet: string }>> {
  return db.all<{ id: number; snippet: string }>(
    `WITH page AS (${page})
     SELECT page.case_id AS id,
            ts_headline('simple', s.content, to_tsquery('simple', ?), 'StartSel=«, StopSel=», MaxWords=12, MinWords=4, MaxFragments=1, FragmentDelimiter=…') AS snippet
     FROM page JOIN case_search s ON s.case_id = page.case_id
     ORDER BY ${byRank ? 'page.r DESC, ' : ''}page.case_id DESC`,
    [...params, q]);
}
