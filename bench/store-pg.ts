/**
 * The store bench's PostgreSQL side: the generated cases of the SQLite store
 * (bench/store.ts fill) loaded in bulk into a database of a throw-away
 * cluster (test/helpers/postgres.ts; Debian's postgresql), ids kept, each
 * case's search document built by the store's own searchDocument, so the
 * same seeded queries meet the same cases on both backends. `store migrate`
 * copies a case per transaction with its count check (about 150 cases/s):
 * right for a desk's history, too slow to fill 100,000 cases for a bench.
 */
import { join } from 'node:path';
import type { Db, SqlValue } from '../store/db';
import { SqliteDatabase } from '../store/database';
import { openPgStore } from '../store/pg/open';
import { searchDocument } from '../store/pg/search';
import { CaseStore } from '../store/case-store';
import { postgresSkip, startPostgres } from '../test/helpers/postgres';

/** The tables bench/store.ts fills, in the order their references need. */
const TABLES = ['cases', 'case_addresses', 'analysis_runs', 'drafts', 'audit'] as const;
const CASES_PER_INSERT = 500;

/** What bench/store.ts measures on a backend (passed in: store.ts runs this module). */
export interface BackendFigures { openMs: number; latencies: Record<string, { median: number; p95: number; n: number }> }
export type PgFigures = BackendFigures & { loadSeconds: number; databaseMiB: number; /** Searches whose first page is the same cases on both backends, of those tried. */ sameSearch: string };
type Measure = (location: string, n: number, q: number, scratchDir: string) => Promise<BackendFigures>;

async function columns(src: Db, dest: Db, table: string): Promise<string[]> {
  const there = new Set((await dest.all<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = ?', [table])).map((r) => r.column_name));
  return (await src.all<{ name: string }>(`PRAGMA table_info(${table})`)).map((c) => c.name).filter((c) => there.has(c));
}

async function insertRows(dest: Db, table: string, cols: string[], rows: SqlValue[][]): Promise<void> {
  if (!rows.length) return;
  const one = `(${cols.map(() => '?').join(',')})`;
  await dest.run(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${rows.map(() => one).join(',')}`, rows.flat());
}

/** Copy the filled SQLite store at `dir` into the empty database at `url`, table by table; returns the seconds it took. */
export async function loadIntoPg(dir: string, url: string, log: (l: string) => void): Promise<number> {
  const t0 = performance.now();
  const src = await SqliteDatabase.open(join(dir, 'cases.sqlite'));
  const dest = (await openPgStore(url)).db;
  try {
    const maxId = (await src.get<{ n: number }>('SELECT max(id) AS n FROM cases'))!.n;
    for (const table of TABLES) {
      const cols = await columns(src, dest, table);
      // A window of cases at a time (case_addresses has no rowid to page by).
      const key = table === 'cases' ? 'id' : 'case_id';
      for (let from = 1; from <= maxId; from += CASES_PER_INSERT) {
        const rows = await src.all<Record<string, SqlValue>>(`SELECT ${cols.join(',')} FROM ${table} WHERE ${key} BETWEEN ? AND ?`, [from, from + CASES_PER_INSERT - 1]);
        await insertRows(dest, table, cols, rows.map((r) => cols.map((c) => r[c])));
      }
      if (cols.includes('id')) await dest.run(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
      log(`  postgres: ${table} loaded`);
    }
    // Search documents, as refreshSearchPg writes them for a case.
    let last = 0;
    for (;;) {
      const cases = await src.all<{ id: number; subject: string | null; complaint_text: string; reporter: string }>(
        `SELECT id, subject, complaint_text, trim(coalesce(reporter_address, '') || ' ' || coalesce(reporter_name, '') || ' ' || coalesce(reporter_domain, '')) AS reporter
         FROM cases WHERE id > ? ORDER BY id LIMIT ?`, [last, CASES_PER_INSERT]);
      if (!cases.length) break;
      const [from, to] = [cases[0].id, cases.at(-1)!.id];
      last = to;
      const addresses = await src.all<{ case_id: number; address: string }>('SELECT case_id, address FROM case_addresses WHERE case_id BETWEEN ? AND ? ORDER BY case_id, role, address', [from, to]);
      const drafts = await src.all<{ case_id: number; subject: string; body: string }>('SELECT case_id, subject, body FROM drafts WHERE case_id BETWEEN ? AND ? ORDER BY case_id, version', [from, to]);
      const docs = cases.map((c) => {
        const d = searchDocument(c, addresses.filter((a) => a.case_id === c.id).map((a) => a.address), drafts.filter((x) => x.case_id === c.id));
        return [c.id, d.words, d.content];
      });
      await dest.run(`INSERT INTO case_search (case_id, doc, content) VALUES ${docs.map(() => "(?, to_tsvector('simple', ?), ?)").join(',')}`, docs.flat());
    }
    await dest.run('ANALYZE');
    return Math.round((performance.now() - t0) / 100) / 10;
  } finally {
    await src.close();
    await dest.close();
  }
}

const CHECKS = ['port', 'SYN', 'ssh brute', 'snort', '"SYN flood"', 'example.org', 'investigate worm', '"198.51.100.7"', 'suricata attempts', 'nothing-matches-this'];

/** The same first page of cases for each of CHECKS on both stores? "k/10". */
async function sameSearch(dir: string, url: string): Promise<string> {
  const [a, b] = [await CaseStore.open(dir), await CaseStore.open(url)];
  try {
    let same = 0;
    for (const q of CHECKS) {
      const [x, y] = [await a.search(q, { limit: 50 }), await b.search(q, { limit: 50 })];
      if (JSON.stringify(x.items.map((h) => h.id)) === JSON.stringify(y.items.map((h) => h.id))) same++;
    }
    return `${same}/${CHECKS.length}`;
  } finally {
    await a.close();
    await b.close();
  }
}

/** Load the filled store into a throw-away cluster and measure it as SQLite was; a reason instead when PostgreSQL is not installed. */
export async function pgBackend(dir: string, n: number, q: number, log: (l: string) => void, measure: Measure): Promise<PgFigures | { skipped: string }> {
  if (postgresSkip) return { skipped: postgresSkip };
  const cluster = await startPostgres();
  try {
    const url = cluster.createDatabase('bench');
    log(`case store: loading the ${n.toLocaleString('en-US')} cases into PostgreSQL (127.0.0.1:${cluster.port}) ...`);
    const loadSeconds = await loadIntoPg(dir, url, log);
    const size = (await openPgStore(url).then(async (s) => {
      try {
        return await s.db.get<{ n: number }>('SELECT pg_database_size(current_database()) AS n');
      } finally {
        await s.db.close();
      }
    }))!.n;
    const same = await sameSearch(dir, url);
    log(`  loaded in ${loadSeconds} s (${Math.round(size / 1048576)} MiB); the same first page of cases on both for ${same} searches`);
    return { loadSeconds, databaseMiB: Math.round(size / 1048576), sameSearch: same, ...(await measure(url, n, q, dir)) };
  } finally {
    cluster.stop();
  }
}
