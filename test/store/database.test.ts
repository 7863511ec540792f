import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../store/database';
import { CaseStore } from '../../store/case-store';
import { tempDir } from './helpers';

describe('Database', () => {
  it('opens in WAL mode with foreign keys on and synchronous FULL', async () => {
    const { dir, cleanup } = await tempDir();
    const store = await CaseStore.open(dir);
    await store.close();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await db.get('PRAGMA synchronous')).toEqual({ synchronous: 2 });
      expect((await db.get<{ timeout: number }>('PRAGMA busy_timeout'))!.timeout).toBeGreaterThan(0);
    } finally {
      await db.close();
      await cleanup();
    }
  });

  it('rolls a failed transaction back entirely', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 't.sqlite'));
    await db.exec('CREATE TABLE t (x INTEGER NOT NULL)');
    await expect(db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (1)');
      await tx.run('INSERT INTO t VALUES (NULL)');
    })).rejects.toThrow(/NOT NULL/);
    expect(await db.get('SELECT count(*) AS n FROM t')).toEqual({ n: 0 });
    await db.transaction((tx) => tx.run('INSERT INTO t VALUES (2)'));
    expect(await db.get('SELECT count(*) AS n FROM t')).toEqual({ n: 1 });
    await db.close();
    await cleanup();
  });
});
