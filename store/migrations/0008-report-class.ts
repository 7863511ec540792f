/**
 * 0008: the queue files a case by what it reports.
 *
 * - `report_class`, `report_detail`: the complaint's report type (network
 *   abuse, phishing, malware hosting, spam, open service, copyright) and what
 *   was reported in a few words, from analysis/triage/report-class.ts. Filled
 *   from the stored complaint when a case is ranked (store/queue.ts).
 * - `rank_repeat`: 1 when the case's queue reason names other reports about
 *   the same host; the Repeat view and its count read it, whatever the class.
 *
 * The queue classes changed (rank_class is an index into QUEUE_CLASSES), so
 * every case is ranked again. Frozen once released.
 */
import { rerankAll } from '../queue';
import type { Migration } from './migration';

export const migration0008: Migration = {
  version: 8,
  name: 'report-class',
  async up(db) {
    await db.exec(`
      ALTER TABLE cases ADD COLUMN report_class TEXT;
      ALTER TABLE cases ADD COLUMN report_detail TEXT;
      ALTER TABLE cases ADD COLUMN rank_repeat INTEGER NOT NULL DEFAULT 0 CHECK (rank_repeat IN (0, 1));
      CREATE INDEX cases_queue_repeat ON cases (rank_class, rank_score DESC, received_at DESC, id DESC)
        WHERE rank_class IS NOT NULL AND rank_repeat = 1;
    `);
    await rerankAll(db);
  },
};
