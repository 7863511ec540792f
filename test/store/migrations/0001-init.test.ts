import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { migrate, MIGRATIONS, schemaVersion } from '../../../store/migrations/index';
import { tempDir } from '../helpers';

describe('migration 0001-init', () => {
  it('creates the case tables on an empty database, and a database holding rows survives the rest of the migrations', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      expect(await migrate(db, 1)).toEqual([1]);
      expect(await schemaVersion(db)).toBe(1);
      // Rows as 0001 knew them.
      await db.transaction(async (tx) => {
        await tx.run(`INSERT INTO cases (id, created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text, subject, reporter_address, reporter_domain)
          VALUES (7, 1, 1, 1, 'analysed', ?, 'c.txt', x'68690a', '{"format":"text"}', 'hi', 'scan', 'abuse@example.net', 'example.net')`, ['a'.repeat(64)]);
        await tx.run("INSERT INTO case_addresses (case_id, role, address) VALUES (7, 'accused', '198.51.100.10')");
        await tx.run("INSERT INTO tags (case_id, tag) VALUES (7, 'vip')");
        await tx.run("INSERT INTO evidence (case_id, sha256, original_name, size, attached_at) VALUES (7, ?, 'e.pcap', 10, 1)", ['b'.repeat(64)]);
        await tx.run("INSERT INTO analysis_runs (case_id, created_at, engine_version, schema_version, verdict, confidence, duration_ms, options_json, result_json) VALUES (7, 1, '0.0.9', 1, 'backscatter', 0.5, 3, '{}', '{}')");
        await tx.run("INSERT INTO drafts (case_id, version, subject, body, origin, run_id, created_at) VALUES (7, 1, 'Re: scan', 'hello', 'generated', 1, 1)");
        await tx.run("INSERT INTO notes (case_id, body, created_at) VALUES (7, 'called them', 1)");
        await tx.run("INSERT INTO audit (case_id, at, action, detail) VALUES (7, 1, 'created', 'x')");
      });
      // Constraints hold: a bad status and a dangling foreign key are refused.
      await expect(db.run("UPDATE cases SET status = 'lost' WHERE id = 7")).rejects.toThrow(/CHECK/);
      await expect(db.run("INSERT INTO notes (case_id, body, created_at) VALUES (99, 'x', 1)")).rejects.toThrow(/FOREIGN KEY/);
      expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version));
      const counts = await db.get<Record<string, number>>(`SELECT (SELECT count(*) FROM cases) c, (SELECT count(*) FROM evidence) e, (SELECT count(*) FROM analysis_runs) r,
        (SELECT count(*) FROM drafts) d, (SELECT count(*) FROM notes) n, (SELECT count(*) FROM audit) a, (SELECT count(*) FROM tags) t`);
      expect(counts).toEqual({ c: 1, e: 1, r: 1, d: 1, n: 1, a: 1, t: 1 });
      expect(await db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    } finally {
      await db.close();
      await cleanup();
    }
  });
});
