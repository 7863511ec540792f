/**
 * Store failures an operator can act on. Every error leaving store/ is a
 * StoreError with a stable `code` (for the UI and IPC `{code, message}`) and a
 * message written for the operator, not the developer: it says what happened,
 * where, and that the work on screen was not lost.
 */
export type StoreErrorCode =
  /** The data folder or database cannot be written (read-only mount, permissions). */
  | 'read_only'
  /** The disk (or quota) is full. */
  | 'disk_full'
  /** The database file is damaged or not a database. */
  | 'corrupt'
  /** A stored evidence file no longer has the SHA-256 recorded when it was attached. */
  | 'custody_mismatch'
  /** A stored evidence file is gone from the data folder. */
  | 'evidence_missing'
  /** No case (or draft, evidence) with that id. */
  | 'not_found'
  /** Another process holds the database locked for longer than the busy timeout. */
  | 'busy'
  /** Bad input (an unparseable CIDR, a bundle that is not ours, ...). */
  | 'invalid'
  /** The database was written by a newer Abuse Desk. */
  | 'too_new'
  /** Someone else changed the case since the version the change was made on (optimistic concurrency). */
  | 'conflict'
  /** Any other I/O or SQLite failure. */
  | 'io';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** The underlying error (SQLite or Node), for logs. */
    override readonly cause?: unknown,
  ) {
    super(message);
  }

  /** Plain data for IPC replies (`{ok: false, error}`). */
  toJSON(): { code: StoreErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

const KEEP = 'Nothing was lost from the screen; free the problem and try again.';

/**
 * Map a SQLite or Node error to a StoreError. `where` names the folder or file
 * concerned, so the message can say where the problem is.
 */
export function toStoreError(e: unknown, where: string): StoreError {
  if (e instanceof StoreError) return e;
  const err = e as { code?: string; errno?: number; message?: string } | undefined;
  const code = err?.code ?? '';
  const msg = err?.message ?? String(e);
  if (code === 'SQLITE_READONLY' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || /SQLITE_READONLY|readonly database/i.test(msg)) {
    return new StoreError('read_only', `The case store in ${where} is read-only (${shortReason(code, msg)}): the case could not be saved. ${KEEP}`, e);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || /SQLITE_FULL|database or disk is full/i.test(msg)) {
    return new StoreError('disk_full', `The disk holding ${where} is full: the case could not be saved. ${KEEP}`, e);
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || /SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database/i.test(msg)) {
    return new StoreError('corrupt', `The case database in ${where} is damaged (${shortReason(code, msg)}). Restore it from a backup (abuse-desk cases backup).`, e);
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || /SQLITE_BUSY/.test(msg)) {
    return new StoreError('busy', `The case store in ${where} is busy (another Abuse Desk is writing to it). ${KEEP}`, e);
  }
  if (code === 'SQLITE_CANTOPEN' || /SQLITE_CANTOPEN/.test(msg)) {
    return new StoreError('read_only', `The case store in ${where} cannot be opened for writing (${shortReason(code, msg)}). ${KEEP}`, e);
  }
  return new StoreError('io', `The case store in ${where} failed: ${msg}`, e);
}

function shortReason(code: string, msg: string): string {
  return code || msg.replace(/^Error:\s*/, '').slice(0, 120);
}
