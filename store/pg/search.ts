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
  const fields = [c.subject ?? '', c.complaint_text, c.reporter, addresses.map((a) => a.address).join(' '), drafts.map((d) => `${d.subject} ${d.body}`).join(' ')];
  // The text snippets are cut from: its start is enough, and ts_headline re-reads all of it for every hit.
  const content = fields.filter(Boolean).join('\n').slice(0, SNIPPET_TEXT_CHARS);
  await tx.run(
    `INSERT INTO case_search (case_id, doc, content) VALUES (?, to_tsvector('simple', ?), ?)
     ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc, content = excluded.content`,
    [caseId, boundedWords(fields.map(searchWords).join(' ')), content]);
}

/** The page of matching case ids (newest or most relevant first) with a snippet each; `limit` rows at most. */
export async function searchPagePg(db: Db, query: string, where: string[], params: SqlValue[], order: 'newest' | 'relevance', limit: number, offset: number): Promise<Array<{ id: number; snippet: string }>> {
  const q = tsQuery(query);
  if (q === null) return [];
  const by = order === 'relevance' ? 'ts_rank(s.doc, q) DESC, s.case_id DESC' : 's.case_id DESC';
  // The page first, the headlines (which re-read the text) for that page only.
  return db.all<{ id: number; snippet: string }>(
    `WITH page AS (
       SELECT s.case_id, ${order === 'relevance' ? 'ts_rank(s.doc, q)' : '0'} AS r
       FROM to_tsquery('simple', ?) q, case_search s JOIN cases c ON c.id = s.case_id
       WHERE s.doc @@ q ${where.map((w) => `AND ${w}`).join(' ')}
       ORDER BY ${by} LIMIT ? OFFSET ?)
     SELECT page.case_id AS id,
            ts_headline('simple', s.content, to_tsquery('simple', ?), 'StartSel=«, StopSel=», MaxWords=12, MinWords=4, MaxFragments=1, FragmentDelimiter=…') AS snippet
     FROM page JOIN case_search s ON s.case_id = page.case_id
     ORDER BY ${order === 'relevance' ? 'page.r DESC, ' : ''}page.case_id DESC`,
    [q, ...params, limit, offset, q]);
}
