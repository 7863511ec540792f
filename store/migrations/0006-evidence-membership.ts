/**
 * 0006: a case owns its evidence explicitly.
 *
 * - `removed_at`: the operator took the file out of the case. The row and the
 *   vault file stay (chain of custody: what was once attached is never
 *   forgotten); the audit trail says when and why; runs no longer read it.
 * - `excluded`: the file stays in the case but the next run does not read it
 *   (1), e.g. a capture of another link attached by mistake.
 *
 * Existing evidence: in the case and included. Frozen once released.
 */
import type { Migration } from './migration';

export const migration0006: Migration = {
  version: 6,
  name: 'evidence-membership',
  async up(db) {
    await db.exec(`
      ALTER TABLE evidence ADD COLUMN removed_at INTEGER;
      ALTER TABLE evidence ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1));
    `);
  },
};
