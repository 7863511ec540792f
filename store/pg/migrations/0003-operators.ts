/**
 * PostgreSQL 0003: SQLite's 0009 (store/migrations/0009-operators.ts): the
 * operator of each audit line, and the case's version for optimistic
 * concurrency. Frozen once released.
 */
import type { PgMigration } from './migration';

export const pgMigration0003: PgMigration = {
  version: 3,
  name: 'operators',
  sql: `
    ALTER TABLE audit ADD COLUMN operator TEXT;
    ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  `,
};
