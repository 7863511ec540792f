/** PostgreSQL 0006: SQLite's 0011 (store/migrations/0011-leases.ts), one app at a time per job. Frozen once released. */
import type { PgMigration } from './migration';

export const pgMigration0006: PgMigration = {
  version: 6,
  name: 'leases',
  sql: `
    CREATE TABLE leases (
      name        TEXT   PRIMARY KEY,
      holder      TEXT   NOT NULL,
      acquired_at BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL
    );
  `,
};
