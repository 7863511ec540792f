/**
 * The PostgreSQL handle (the `pg` package) behind the same Db interface as
 * SQLite, so the store's domain modules run on it unchanged where their SQL is
 * portable:
 *
 * - `?` placeholders become $1, $2, … (outside quoted text);
 * - an INSERT into a table with an `id` gets `RETURNING id`, so `lastID` says
 *   what SQLite's would;
 * - BIGINT and NUMERIC come back as numbers (ids and ms timestamps stay far
 *   below 2^53) and JSON/JSONB as text, as SQLite hands them out;
 * - a write transaction takes one advisory lock first, so writers from every
 *   app on the desk are serialised like SQLite's BEGIN IMMEDIATE: a domain
 *   function that reads then writes (the next draft version, a status change)
 *   sees no interleaved write, whichever process it runs in.
 */
import pg from 'pg';
import type { Db, Params, PreparedStatement, RunResult, SqlValue } from '../db';
import { StoreError } from '../errors';

/** pg_advisory_xact_lock key of the write lock: a constant every app of the desk shares ("abusedsk" as a 64-bit number). */
export const WRITE_LOCK_KEY = '7017300307879424875';

const TABLES_WITH_ID = new Set([
  'cases', 'evidence', 'analysis_runs', 'drafts', 'notes', 'audit', 'messages', 'sent_replies', 'quarantine', 'imported_history',
]);

const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB = 3802;

/** Per-pool type parsers (the global pg.types registry is left alone). */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (s: string) => unknown {
    if (oid === INT8 || oid === NUMERIC) return Number;
    if (oid === JSON_OID || oid === JSONB) return (s: string) => s;
    return pg.types.getTypeParser(oid, format ?? 'text') as (s: string) => unknown;
  },
};

const converted = new Map<string, string>();

/** `?` → `$n`, skipping '…' strings, "…" identifiers and -- comments; INSERT into an id table gets RETURNING id. */
export function toPgSql(sql: string): string {
  const cached = converted.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  const table = /^\s*INSERT\s+INTO\s+(\w+)/i.exec(out)?.[1]?.toLowerCase();
  if (table && TABLES_WITH_ID.has(table) && !/\bRETURNING\b/i.test(out)) out = `${out.replace(/[\s;]+$/, '')} RETURNING id`;
  if (converted.size > 2000) converted.clear();
  converted.set(sql, out);
  return out;
}

/**
 * PostgreSQL text (and JSONB) cannot hold NUL, which SQLite keeps: a NUL in a
 * hostile mail's subject would otherwise fail the whole write. It is stored
 * as U+FFFD, the replacement character, in text and in JSON alike (where
 * JSON.stringify wrote it as the escape \u0000). Raw bytes (BYTEA) keep it.
 */
export function pgText(v: string): string {
  if (!v.includes('\u0000') && !v.includes('\\u0000')) return v;
  let s = v.replace(/\u0000/g, '\uFFFD');
  if (s.includes('\\u0000') && /^[[{"]/.test(s)) {
    try {
      JSON.parse(s);
      s = s.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd'); // an escape, not an escaped backslash before "u0000"
    } catch {
      // not JSON: the text keeps its characters
    }
  }
  return s;
}

function values(params: Params = []): unknown[] {
  if (!Array.isArray(params)) throw new Error('the PostgreSQL store takes positional (?) parameters only');
  return params.map((v: SqlValue) => (typeof v === 'string' ? pgText(v) : v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v));
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/** A connection failure said for the operator; other errors pass through to toStoreError. */
function mapError(e: unknown, where: string): unknown {
  const code = (e as { code?: string }).code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '57P01', '57P03', '08006', '08001'].includes(code)) {
    return new StoreError('io', `The shared case database ${where} cannot be reached (${code}). Nothing was lost from the screen; try again when it is back.`, e);
  }
  if (code === '53100') return new StoreError('disk_full', `The shared case database ${where} is out of disk space. Nothing was lost from the screen.`, e);
  if (code === '25006') return new StoreError('read_only', `The shared case database ${where} is read-only. Nothing was lost from the screen.`, e);
  if (code === '40P01' || code === '55P03') return new StoreError('busy', `The shared case database ${where} is busy. Nothing was lost from the screen; try again.`, e);
  return e;
}

type Queryable = pg.Pool | pg.PoolClient;

export class PgDatabase implements Db {
  readonly dialect = 'postgres' as const;
  readonly readOnly = false;
  private closed = false;
  /** Connections held open for LISTEN (see listen), ended by close. */
  private readonly listeners = new Set<pg.Client>();

  private constructor(readonly pool: pg.Pool, readonly file: string, private readonly client?: pg.PoolClient, private readonly url?: string) {}

  /** A pool on this URL (nothing is connected until the first query). */
  static connect(url: string, opts: { max?: number } = {}): PgDatabase {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 8, types: typeParsers, application_name: 'abuse-desk' });
    // An idle client losing its server must not crash the app; the next query reports it.
    pool.on('error', () => undefined);
    return new PgDatabase(pool, redactUrl(url), undefined, url);
  }

  private async query(sql: string, params?: Params): Promise<pg.QueryResult> {
    const target: Queryable = this.client ?? this.pool;
    try {
      return await target.query(toPgSql(sql), values(params));
    } catch (e) {
      throw mapError(e, this.file);
    }
  }

  async exec(sql: string): Promise<void> {
    // Several statements, no parameters: the simple query protocol takes them as they are.
    const target: Queryable = this.client ?? this.pool;
    try {
      await target.query(sql);
    } catch (e) {
      throw mapError(e, this.file);
    }
  }

  async run(sql: string, params?: Params): Promise<RunResult> {
    const r = await this.query(sql, params);
    const last = r.rows.at(-1) as { id?: number } | undefined;
    return { lastID: typeof last?.id === 'number' ? last.id : 0, changes: r.rowCount ?? 0 };
  }

  async get<T>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async all<T>(sql: string, params?: Params): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async prepare(sql: string): Promise<PreparedStatement> {
    return { run: (params) => this.run(sql, params), finalize: async () => undefined };
  }

  /**
   * BEGIN, the desk-wide write lock, `fn`, COMMIT (ROLLBACK on any error), on
   * one pooled connection. A transaction inside a transaction joins it.
   */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.client) return fn(this);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw mapError(e, this.file);
    }
    const tx = new PgDatabase(this.pool, this.file, client);
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK_KEY]);
      const value = await fn(tx);
      await client.query('COMMIT');
      return value;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw mapError(e, this.file);
    } finally {
      client.release(broken);
    }
  }

  /** A client of its own for the caller (migrations hold one for their lock). */
  async withClient<T>(fn: (db: PgDatabase) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((e: unknown) => { throw mapError(e, this.file); });
    try {
      return await fn(new PgDatabase(this.pool, this.file, client));
    } finally {
      client.release();
    }
  }

  /**
   * Hear NOTIFY on `channel` on a connection of its own (a pooled one would
   * go back to the pool); returns the function that stops listening.
   */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    if (!this.url) throw new Error('listen() is for the store\'s own handle, not a transaction');
    const client = new pg.Client({ connectionString: this.url, application_name: 'abuse-desk listen' });
    client.on('error', () => undefined); // a lost server: the app sees it on its next query
    client.on('notification', (n) => { if (n.channel === channel && n.payload !== undefined) onPayload(n.payload); });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw mapError(e, this.file);
    }
    this.listeners.add(client);
    return async () => {
      if (!this.listeners.delete(client)) return;
      await client.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    if (this.client || this.closed) return;
    this.closed = true;
    for (const c of this.listeners) await c.end().catch(() => undefined);
    this.listeners.clear();
    await this.pool.end();
  }
}
