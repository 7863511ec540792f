/**
 * 0004: repeat complaints and the accepted run.
 *
 * - `complaint_fp`: the complaint's fingerprint (normalised text), no longer
 *   unique: a complaint that repeats a replied or closed case opens a new case
 *   with the same text (its `fingerprint` is then derived from the earlier
 *   case, to stay unique) and `repeat_of` naming the case it repeats.
 * - `accepted_run_id`: the run whose verdict is the case's headline. A later
 *   run with weaker evidence is kept as a run but does not replace it until
 *   the operator accepts it.
 *
 * Existing cases: complaint_fp = fingerprint, the latest run accepted.
 * Frozen once released.
 */
import type { Migration } from './migration';

export const migration0004: Migration = {
  version: 4,
  name: 'repeats',
  async up(db) {
    await db.exec(`
      ALTER TABLE cases ADD COLUMN complaint_fp TEXT;
      ALTER TABLE cases ADD COLUMN repeat_of INTEGER REFERENCES cases (id) ON DELETE SET NULL;
      ALTER TABLE cases ADD COLUMN accepted_run_id INTEGER REFERENCES analysis_runs (id) ON DELETE SET NULL;
      UPDATE cases SET complaint_fp = fingerprint;
      UPDATE cases SET accepted_run_id = (SELECT max(id) FROM analysis_runs r WHERE r.case_id = cases.id);
      CREATE INDEX cases_complaint_fp ON cases (complaint_fp, id);
      CREATE INDEX cases_repeat_of ON cases (repeat_of) WHERE repeat_of IS NOT NULL;
    `);
  },
};
