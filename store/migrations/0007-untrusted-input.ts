/**
 * 0007: what came from outside and could not be trusted or read.
 *
 * - `quarantine`: a message that failed even within the intake budgets
 *   (analysis/limits.ts), kept as received with the error, so the mailbox
 *   cursor can move past it and the operator still sees it ("could not be
 *   read"). One row per distinct message (its SHA-256): fetching it again
 *   does not add a second.
 * - `imported_history`: the audit trail a case bundle brought with it, kept
 *   apart from our own audit (whoever wrote the bundle chose its times and
 *   words), with the bundle it came from.
 *
 * Frozen once released.
 */
import type { Migration } from './migration';

export const migration0007: Migration = {
  version: 7,
  name: 'untrusted-input',
  async up(db) {
    await db.exec(`
      CREATE TABLE quarantine (
        id              INTEGER PRIMARY KEY,
        raw_sha256      TEXT    NOT NULL UNIQUE CHECK (length(raw_sha256) = 64),
        raw             BLOB    NOT NULL,
        size            INTEGER NOT NULL,
        message_id      TEXT,
        source_kind     TEXT    NOT NULL,
        source_location TEXT    NOT NULL,
        source_uid      INTEGER,
        source_name     TEXT    NOT NULL,
        error           TEXT    NOT NULL,
        quarantined_at  INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX quarantine_at ON quarantine (quarantined_at DESC, id DESC);

      CREATE TABLE imported_history (
        id          INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        bundle      TEXT    NOT NULL,
        imported_at INTEGER NOT NULL,
        at          INTEGER NOT NULL,
        action      TEXT    NOT NULL,
        detail      TEXT    NOT NULL
      );
      CREATE INDEX imported_history_case ON imported_history (case_id, id);
    `);
  },
};
