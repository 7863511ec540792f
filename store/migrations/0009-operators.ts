/**
 * 0009: who did it, and which version of the case they saw.
 *
 * - `audit.operator`: the operator each audit line's change was made by (a
 *   desk shares one history: issue 14). Lines written before are NULL (not
 *   recorded), never guessed.
 * - `cases.version`: counts up with every audited change of the case (the
 *   moments updated_at moves), so a status change made on a case as it was
 *   at version N is refused once someone else changed it (no lost update).
 *
 * Existing cases start at version 1. Frozen once released.
 */
import type { Migration } from './migration';

export const migration0009: Migration = {
  version: 9,
  name: 'operators',
  async up(db) {
    await db.exec(`
      ALTER TABLE audit ADD COLUMN operator TEXT;
      ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    `);
  },
};
