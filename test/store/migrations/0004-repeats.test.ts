import { describe, expect, it } from 'vitest';
import { at, CASE } from './migrate-at';

describe('migration 0004-repeats', () => {
  it('keeps each case\'s fingerprint as its complaint fingerprint and accepts its latest run; the fingerprint of a repeat may recur', async () => {
    await at(4, async (db) => {
      await db.run(CASE, [1, 'a'.repeat(64)]);
      await db.run(CASE, [2, 'b'.repeat(64)]);
      for (const id of [10, 11]) {
        await db.run(`INSERT INTO analysis_runs (id, case_id, created_at, engine_version, schema_version, verdict, confidence, duration_ms, options_json, result_json)
          VALUES (?, 1, ?, '0.1.0', 1, 'backscatter', 0.9, 5, '{}', '{}')`, [id, id]);
      }
    }, async (db) => {
      expect(await db.all('SELECT id, complaint_fp, repeat_of, accepted_run_id FROM cases ORDER BY id')).toEqual([
        { id: 1, complaint_fp: 'a'.repeat(64), repeat_of: null, accepted_run_id: 11 },
        { id: 2, complaint_fp: 'b'.repeat(64), repeat_of: null, accepted_run_id: null },
      ]);
      await db.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_fp, repeat_of, complaint_name, complaint_raw, complaint_json, complaint_text)
        VALUES (3, 3, 3, 3, 'new', ?, ?, 1, 'c.eml', x'00', '{}', '')`, ['c'.repeat(64), 'a'.repeat(64)]);
      expect(await db.all('SELECT id FROM cases WHERE complaint_fp = ? ORDER BY id', ['a'.repeat(64)])).toEqual([{ id: 1 }, { id: 3 }]);
      await db.run('DELETE FROM cases WHERE id = 1');
      expect(await db.get('SELECT repeat_of FROM cases WHERE id = 3')).toEqual({ repeat_of: null });
    });
  });
});
