/**
 * A promise wrapper around one sqlite3 connection, configured the way the
 * store needs it: WAL, foreign keys on, a busy timeout, synchronous=FULL.
 *
 * synchronous=FULL rather than NORMAL: in WAL mode NORMAL already survives a
 * killed process, but a commit may be rolled back by a power cut. A case the
 * store reported as saved must stay saved, and one fsync per commit costs a few
 * milliseconds on a desktop, so FULL. Bulk loads (the bench) batch many rows
 * into one transaction instead.
 */
import { dirname } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile, PRIVATE_FILE_MODE, tightenIfPresent } from './private-files';
import sqlite3 from 'sqlite3';
import type { Db, Params } from './db';
import { toStoreError } from './errors';

export type { Params, SqlValue } from './db';

export interface OpenOptions {
  readOnly?: boolean;
  /**
   * Read a database nobody can write (a read-only folder, where SQLite cannot
   * create the WAL index file): opened with `immutable=1`, so no locks or
   * -shm file are needed. Implies readOnly.
   */
  immutable?: boolean;
  /** Busy timeout in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Test hook: cap the database size (PRAGMA max_page_count) to provoke SQLITE_FULL. */
  maxPageCount?: number;
}

/** The SQLite handle (the class); `Database` as a type is any backend's handle (db.ts). */
export class SqliteDatabase implements Db {
  readonly dialect = 'sqlite' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly db: sqlite3.Database, readonly file: string, readonly readOnly: boolean) {}

  /** Open (creating when writable) and configure the database. */
  static async open(file: string, opts: OpenOptions = {}): Promise<SqliteDatabase> {
    const readOnly = !!(opts.readOnly || opts.immutable);
    // SQLite creates the database under the umask (often 0644) and gives -wal and -shm the database's mode:
    // create it 0600 first, and tighten a database and folder made before.
    if (!readOnly) {
      await ensurePrivateDir(dirname(file)).catch((e: unknown) => { throw toStoreError(e, file); });
      await ensurePrivateFile(file).catch((e: unknown) => { throw toStoreError(e, file); });
      for (const side of ['-wal', '-shm', '-journal']) await tightenIfPresent(`${file}${side}`, PRIVATE_FILE_MODE);
    }
    const mode = readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    const name = opts.immutable ? `file:${encodeURI(file).replace(/\?/g, '%3f').replace(/#/g, '%23')}?immutable=1` : file;
    const raw = await new Promise<sqlite3.Database>((done, fail) => {
      const d: sqlite3.Database = new sqlite3.Database(name, mode | (opts.immutable ? sqlite3.OPEN_URI : 0), (e) => (e ? fail(e) : done(d)));
    }).catch((e: unknown) => { throw toStoreError(e, file); });
    const db = new SqliteDatabase(raw, file, readOnly);
    try {
      await db.exec(`PRAGMA busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
      await db.exec('PRAGMA foreign_keys = ON');
      if (!readOnly) {
        const row = await db.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
        if (row?.journal_mode !== 'wal') throw new Error(`SQLITE_READONLY: cannot switch ${file} to WAL (journal_mode is ${row?.journal_mode})`);
        await db.exec('PRAGMA synchronous = FULL');
      }
      if (opts.maxPageCount) await db.exec(`PRAGMA max_page_count = ${Math.trunc(opts.maxPageCount)}`);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw toStoreError(e, file);
    }
    return db;
  }

  exec(sql: string): Promise<void> {
    return new Promise((done, fail) => this.db.exec(sql, (e) => (e ? fail(e) : done())));
  }

  run(sql: string, params: Params = []): Promise<{ lastID: number; changes: number }> {
    return new Promise((done, fail) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, e: Error | null) {
        if (e) fail(e);
        else done({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((done, fail) => this.db.get(sql, params, (e, row) => (e ? fail(e) : done(row as T | undefined))));
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((done, fail) => this.db.all(sql, params, (e, rows) => (e ? fail(e) : done(rows as T[]))));
  }

  /** A prepared statement, for loops of the same insert (bulk loads). */
  prepare(sql: string): Promise<Statement> {
    return new Promise((done, fail) => {
      const st: sqlite3.Statement = this.db.prepare(sql, (e) => (e ? fail(e) : done(new Statement(st))));
    });
  }

  /**
   * Run `fn` inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on any error). IMMEDIATE
   * takes the write lock up front, so two writers wait (busy_timeout) instead of
   * failing half-way with SQLITE_BUSY on lock upgrade. Transactions are queued:
   * one connection runs one at a time, and nothing else may use the connection
   * for writes meanwhile (the store only writes through here).
   */
  transaction<T>(fn: (db: SqliteDatabase) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      await this.exec('BEGIN IMMEDIATE');
      try {
        const value = await fn(this);
        await this.exec('COMMIT');
        return value;
      } catch (e) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Wait for queued transactions, then close. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await new Promise<void>((done, fail) => this.db.close((e) => (e ? fail(e) : done())));
  }
}

/** Existing callers name the handle `Database`: the type is the backend-neutral Db, the value opens SQLite. */
export type Database = Db;
export const Database = SqliteDatabase;

export class Statement {
  constructor(private readonly st: sqlite3.Statement) {}

  run(params: Params): Promise<{ lastID: number; changes: number }> {
    return new Promise((done, fail) => {
      this.st.run(params, function (this: sqlite3.RunResult, e: Error | null) {
        if (e) fail(e);
        else done({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  finalize(): Promise<void> {
    return new Promise((done) => this.st.finalize(() => done()));
  }
}
