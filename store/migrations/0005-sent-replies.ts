/**
 * 0005: replies we sent, kept with the case.
 *
 * `sent_replies`: the message exactly as it left (raw RFC 5322 bytes), its
 * Message-ID, the draft version it came from, the recipients the server
 * accepted and when. A reply from the complainant that names our Message-ID
 * in In-Reply-To or References joins the case (intake-store.ts).
 * Frozen once released.
 */
import type { Migration } from './migration';

export const migration0005: Migration = {
  version: 5,
  name: 'sent-replies',
  async up(db) {
    await db.exec(`
      CREATE TABLE sent_replies (
        id              INTEGER PRIMARY KEY,
        case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        draft_id        INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
        message_id      TEXT    NOT NULL,
        recipients_json TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(recipients_json)),
        raw             BLOB    NOT NULL,
        sent_at         INTEGER NOT NULL
      );
      CREATE INDEX sent_replies_case ON sent_replies (case_id, id);
      CREATE UNIQUE INDEX sent_replies_message_id ON sent_replies (message_id);
    `);
  },
};
