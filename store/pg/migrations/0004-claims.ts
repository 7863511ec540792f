/** PostgreSQL 0004: SQLite's 0010 (store/migrations/0010-claims.ts), who is working on a case. Frozen once released. */
import type { PgMigration } from './migration';

export const pgMigration0004: PgMigration = {
  version: 4,
  name: 'claims',
  sql: `
    CREATE TABLE claims (
      case_id      BIGINT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
      operator     TEXT   NOT NULL,
      claimed_at   BIGINT NOT NULL,
      last_seen_at BIGINT NOT NULL,
      idle_ms      BIGINT NOT NULL CHECK (idle_ms > 0)
    );
  `,
};
