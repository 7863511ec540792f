/** PostgreSQL 0007: SQLite's 0012 (store/migrations/0012-reply-templates.ts), the operator's reply templates. Frozen once released. */
import type { PgMigration } from './migration';

export const pgMigration0007: PgMigration = {
  version: 7,
  name: 'reply-templates',
  sql: `
    CREATE TABLE reply_templates (
      report_class TEXT    NOT NULL,
      verdict      TEXT    NOT NULL,
      subject      TEXT,
      body         TEXT,
      version      INTEGER NOT NULL CHECK (version > 0),
      updated_at   BIGINT  NOT NULL,
      updated_by   TEXT    NOT NULL,
      PRIMARY KEY (report_class, verdict),
      CHECK ((subject IS NULL) = (body IS NULL))
    );
  `,
};
