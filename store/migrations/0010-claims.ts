/**
 * 0010: who is working on a case right now. One row per claimed case: the
 * operator, when they claimed it, when they were last active on it, and the
 * idle time after which the claim lapses (store/claims.ts). A lapsed row is
 * simply overwritten by the next claim. Frozen once released.
 */
import type { Migration } from './migration';

export const migration0010: Migration = {
  version: 10,
  name: 'claims',
  async up(db) {
    await db.exec(`
      CREATE TABLE claims (
        case_id      INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
        operator     TEXT    NOT NULL,
        claimed_at   INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        idle_ms      INTEGER NOT NULL CHECK (idle_ms > 0)
      );
    `);
  },
};
