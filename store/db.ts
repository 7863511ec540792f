/**
 * The database handle every store domain module works through, whichever
 * backend is behind it: SQLite (database.ts, the embedded default) or
 * PostgreSQL (pg/pg-database.ts, a desk sharing one history). Statements use
 * `?` placeholders; the PostgreSQL handle numbers them ($1, $2, …) itself.
 * Where the two dialects differ (full-text search, a few functions), a module
 * asks `dialect`; everything else is written once in SQL both accept.
 */
export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;
export type Params = SqlValue[] | Record<string, SqlValue>;

export interface RunResult {
  /** The id of the row an INSERT added (0 when it added none). */
  lastID: number;
  /** Rows changed. */
  changes: number;
}

/** A statement run many times (bulk loads). */
export interface PreparedStatement {
  run(params: Params): Promise<RunResult>;
  finalize(): Promise<void>;
}

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  /** What error messages name: the SQLite file, or the PostgreSQL URL without its password. */
  readonly file: string;
  readonly readOnly: boolean;
  exec(sql: string): Promise<void>;
  run(sql: string, params?: Params): Promise<RunResult>;
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  all<T>(sql: string, params?: Params): Promise<T[]>;
  prepare(sql: string): Promise<PreparedStatement>;
  /** One write transaction: all of `fn` or nothing; writers are serialised (see each backend). */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
