/**
 * 0012: the operator's reply templates, one per report class and verdict
 * (analysis/draft/template-keys.ts), edited in Settings
 * (store/reply-templates.ts). A row whose subject and body are NULL was reset
 * to the built-in text; it keeps counting its version, so an edit made on a
 * text reset since is refused like one made on a text changed since. The
 * class and verdict are checked by the store module, not here, so a later
 * class needs no table rebuild. Frozen once released.
 */
import type { Migration } from './migration';

export const migration0012: Migration = {
  version: 12,
  name: 'reply-templates',
  async up(db) {
    await db.exec(`
      CREATE TABLE reply_templates (
        report_class TEXT    NOT NULL,
        verdict      TEXT    NOT NULL,
        subject      TEXT,
        body         TEXT,
        version      INTEGER NOT NULL CHECK (version > 0),
        updated_at   INTEGER NOT NULL,
        updated_by   TEXT    NOT NULL,
        PRIMARY KEY (report_class, verdict),
        CHECK ((subject IS NULL) = (body IS NULL))
      );
    `);
  },
};
