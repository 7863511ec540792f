/**
 * Every reply across a process boundary is a Result (Signal's `wrapResult`):
 * errors travel as plain data with a stable code, never as thrown objects
 * whose class and stack do not survive structured clone.
 */

/** Stable error codes a caller may branch on. */
export type ErrorCode =
  | 'bad_request'      // arguments failed the contract's schema
  | 'forbidden'        // the sender is not our window / the token is wrong
  | 'not_found'        // no such job, upload or file
  | 'unsupported'      // the channel exists but not in this host (e.g. a file dialog in the browser)
  | 'too_large'        // an upload or text past its limit
  | 'cancelled'        // the job was cancelled
  | 'engine_crashed'   // the engine process died while the job ran
  | 'engine_error'     // the engine threw while analysing
  | 'io_error'         // reading or writing a file failed
  | 'mail_error'       // the IMAP server could not be reached or refused the login or folder
  // The case store (store/errors.ts StoreError codes, as the renderer sees them):
  | 'read_only'        // the data folder or database cannot be written
  | 'disk_full'        // the disk or quota is full
  | 'corrupt'          // the case database is damaged
  | 'custody_mismatch' // a stored evidence file no longer has its recorded SHA-256
  | 'evidence_missing' // a stored evidence file is gone
  | 'busy'             // another process holds the database
  | 'too_new'          // the database was written by a newer Abuse Desk
  | 'conflict'         // someone changed it since the version the change was made on (their name and time in the message)
  | 'store_unavailable' // the store could not be opened at all (see store:info)
  | 'internal';        // anything else: a bug

/** A failure as data. */
export interface ResultError {
  code: ErrorCode;
  message: string;
}

/** `{ok: true, value}` or `{ok: false, error}`: the shape of every reply. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ResultError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** An Error that carries a code to the boundary where it becomes a Result. */
export class CodedError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'CodedError';
  }
}

/** The store's StoreError codes (store/errors.ts) as contract codes. */
const STORE_CODES: Record<string, ErrorCode> = {
  read_only: 'read_only',
  disk_full: 'disk_full',
  corrupt: 'corrupt',
  custody_mismatch: 'custody_mismatch',
  evidence_missing: 'evidence_missing',
  not_found: 'not_found',
  busy: 'busy',
  invalid: 'bad_request',
  too_new: 'too_new',
  conflict: 'conflict',
  io: 'io_error',
};

/** Turn anything thrown into a ResultError; unknown errors become `internal` with their message. */
export function toResultError(e: unknown): ResultError {
  if (e instanceof CodedError) return { code: e.code, message: e.message };
  // A StoreError, recognised by shape so common/ does not import store/.
  if (e instanceof Error && e.name === 'StoreError' && typeof (e as { code?: unknown }).code === 'string') {
    return { code: STORE_CODES[(e as unknown as { code: string }).code] ?? 'io_error', message: e.message };
  }
  if (e && typeof e === 'object' && (e as Error).name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message };
}

/** Run `fn` and wrap its outcome; a thrown error becomes `{ok: false}`. */
export async function wrapResult<T>(fn: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return { ok: false, error: toResultError(e) };
  }
}
