/**
 * 0003: intake and the work queue. One row per received message (so a
 * re-import, a duplicate and a reply in the thread all find their case), the
 * IMAP UID cursors, and on each case its first look and a precomputed queue
 * rank (class, score, reason) with the index the queue sorts by. Existing
 * cases are ranked from their full verdict. Frozen once released.
 */
import { rerankAll } from '../queue';
import type { Migration } from './migration';

export const migration0003: Migration = {
  version: 3,
  name: 'intake',
  async up(db) {
    await db.exec(`
      CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
        case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        message_id      TEXT,
        thread_key      TEXT,
        in_reply_to     TEXT,
        references_json TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(references_json)),
        raw_sha256      TEXT    NOT NULL CHECK (length(raw_sha256) = 64),
        raw             BLOB    NOT NULL,
        source_kind     TEXT    NOT NULL CHECK (source_kind IN ('mbox', 'maildir', 'eml', 'imap', 'pasted')),
        source_location TEXT    NOT NULL,
        source_uid      INTEGER,
        source_name     TEXT,
        received_at     INTEGER NOT NULL,
        imported_at     INTEGER NOT NULL,
        action          TEXT    NOT NULL CHECK (action IN ('created', 'joined-thread', 'joined-duplicate')),
        warnings_json   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(warnings_json))
      );
      CREATE INDEX messages_case ON messages (case_id, id);
      CREATE INDEX messages_message_id ON messages (message_id);
      CREATE INDEX messages_thread ON messages (thread_key);
      CREATE INDEX messages_sha ON messages (raw_sha256);

      CREATE TABLE imap_cursors (
        account      TEXT    NOT NULL,
        folder       TEXT    NOT NULL,
        uid_validity TEXT,
        last_uid     INTEGER NOT NULL DEFAULT 0,
        updated_at   INTEGER NOT NULL,
        PRIMARY KEY (account, folder)
      ) WITHOUT ROWID;

      ALTER TABLE cases ADD COLUMN first_look_json TEXT CHECK (first_look_json IS NULL OR json_valid(first_look_json));
      ALTER TABLE cases ADD COLUMN provisional_verdict TEXT;
      ALTER TABLE cases ADD COLUMN provisional_confidence REAL;
      ALTER TABLE cases ADD COLUMN headline TEXT;
      ALTER TABLE cases ADD COLUMN activity TEXT;
      ALTER TABLE cases ADD COLUMN primary_accused TEXT;
      ALTER TABLE cases ADD COLUMN group_key TEXT;
      -- NULL for closed cases: they drop out of the queue (and out of its index).
      ALTER TABLE cases ADD COLUMN rank_class INTEGER;
      ALTER TABLE cases ADD COLUMN rank_score REAL;
      ALTER TABLE cases ADD COLUMN rank_reason TEXT;
      CREATE INDEX cases_queue ON cases (rank_class, rank_score DESC, received_at DESC, id DESC) WHERE rank_class IS NOT NULL;
      CREATE INDEX cases_group ON cases (group_key) WHERE group_key IS NOT NULL;
      CREATE INDEX cases_primary_accused ON cases (primary_accused, received_at) WHERE primary_accused IS NOT NULL;

      UPDATE cases SET activity = json_extract(complaint_json, '$.activity') WHERE json_valid(complaint_json);
      UPDATE cases SET primary_accused = (SELECT min(address) FROM case_addresses a WHERE a.case_id = cases.id AND a.role = 'accused');
    `);
    await rerankAll(db);
  },
};
