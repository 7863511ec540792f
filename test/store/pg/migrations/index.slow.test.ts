/**
 * The PostgreSQL schema: three apps opening a fresh database at the same
 * moment apply each migration step once (advisory lock), and every SQLite
 * column has its twin in PostgreSQL, so the domain modules' SQL finds the
 * same names on both.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../../store/case-store';
import { SqliteDatabase } from '../../../../store/database';
import { migrate } from '../../../../store/migrations/index';
import { PG_MIGRATIONS } from '../../../../store/pg/migrations/index';
import { pgTitle, postgresSkip, startPostgres, type PgCluster } from '../../../helpers/postgres';
import { tempDir } from '../../helpers';

const repoRoot = join(import.meta.dirname, '../../../..');
const child = join(import.meta.dirname, '../children/open-store.ts');

function openInChild(url: string, startAt: number, tag: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, url, String(startAt), tag], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe.skipIf(!!postgresSkip)(pgTitle('PostgreSQL migrations'), () => {
  let cluster: PgCluster;
  beforeAll(async () => { cluster = await startPostgres(); });
  afterAll(() => cluster?.stop());

  it('three apps opening a fresh database together apply every step once, and all three work', async () => {
    const url = cluster.createDatabase();
    const startAt = Date.now() + 4000; // after the three children have loaded
    const runs = await Promise.all(['a', 'b', 'c'].map((tag) => openInChild(url, startAt, tag)));
    for (const r of runs) expect(r.err).toBe('');
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const reports = runs.map((r) => JSON.parse(r.out.trim()) as { tag: string; pid: number; caseId: number });
    expect(new Set(reports.map((r) => r.caseId)).size).toBe(3);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = (await client.query<{ version: number; applied_by: string }>('SELECT version, applied_by FROM schema_migrations ORDER BY version')).rows;
      expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      // One app applied them all, in one transaction; it was one of the three.
      expect(new Set(rows.map((r) => r.applied_by)).size).toBe(1);
      expect(reports.map((r) => `pid ${r.pid}`)).toContainEqual(rows[0].applied_by.replace(/^.* (pid \d+)$/, '$1'));
      expect(Number((await client.query('SELECT count(*) AS n FROM cases')).rows[0].n)).toBe(3);
    } finally {
      await client.end();
    }
  });

  it('opening an up-to-date database again applies nothing', async () => {
    const url = cluster.createDatabase();
    await (await CaseStore.open(url)).close();
    await (await CaseStore.open(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const n = Number((await client.query('SELECT count(*) AS n FROM schema_migrations')).rows[0].n);
    await client.end();
    expect(n).toBe(PG_MIGRATIONS.length);
  });

  it('every column SQLite has, PostgreSQL has, with a type of the same kind', async () => {
    const { dir, cleanup } = await tempDir();
    const lite = await SqliteDatabase.open(join(dir, 'cases.sqlite'));
    const url = cluster.createDatabase();
    await (await CaseStore.open(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(lite);
      const tables = (await lite.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'case_fts%' AND name NOT LIKE 'sqlite_%'")).map((t) => t.name);
      expect(tables.length).toBeGreaterThanOrEqual(13);
      const kind = (t: string): string => (/int|serial/i.test(t) ? 'integer' : /real|double|numeric/i.test(t) ? 'real' : /blob|bytea/i.test(t) ? 'bytes' : 'text');
      const missing: string[] = [];
      for (const table of tables) {
        const liteCols = await lite.all<{ name: string; type: string }>(`PRAGMA table_info(${table})`);
        const pgCols = new Map((await client.query<{ column_name: string; data_type: string }>(
          'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1', [table])).rows.map((r) => [r.column_name, r.data_type]));
        for (const c of liteCols) {
          const twin = pgCols.get(c.name);
          // A column of ms or ids may be REAL in PostgreSQL where SQLite's INTEGER also held fractions (first_ts, last_ts).
          const ok = twin !== undefined && (kind(twin) === kind(c.type) || (kind(c.type) === 'integer' && kind(twin) === 'real') || (/json/.test(twin) && kind(c.type) === 'text'));
          if (!ok) missing.push(`${table}.${c.name} (${c.type} → ${twin ?? 'missing'})`);
        }
      }
      expect(missing).toEqual([]);
    } finally {
      await client.end();
      await lite.close();
      await cleanup();
    }
  });
});
