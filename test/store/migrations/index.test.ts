import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../store/database';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../../store/migrations/index';
import { tempDir } from '../helpers';

describe('the migration runner', () => {
  it('numbers the steps 1, 2, 3 … without a gap, and brings a new database to the latest once', async () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      expect(await migrate(db, 3)).toEqual([1, 2, 3]);
      expect(await migrate(db)).toEqual(MIGRATIONS.slice(3).map((m) => m.version));
      expect(await schemaVersion(db)).toBe(LATEST_VERSION);
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
      await cleanup();
    }
  });

  it('a step that fails leaves the database at the step before it, whole', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      const broken = [...MIGRATIONS.slice(0, 2), { version: 3, name: 'broken', up: async (tx: Database) => { await tx.exec('CREATE TABLE half (x)'); await tx.exec('NOT SQL'); } }];
      await expect(migrate(db, 3, broken as never)).rejects.toThrow();
      expect(await schemaVersion(db)).toBe(2);
      expect(await db.get("SELECT name FROM sqlite_master WHERE name = 'half'")).toBeUndefined();
    } finally {
      await db.close();
      await cleanup();
    }
  });

  it('refuses a database of a newer Abuse Desk without touching it, and one it cannot write that needs upgrading', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'cases.sqlite');
    const db = await Database.open(file);
    try {
      await migrate(db, 2);
      await db.exec(`PRAGMA user_version = ${LATEST_VERSION + 1}`);
      await expect(migrate(db)).rejects.toMatchObject({ code: 'too_new' });
      await db.exec('PRAGMA user_version = 2');
    } finally {
      await db.close();
    }
    const ro = await Database.open(file, { readOnly: true });
    try {
      await expect(migrate(ro)).rejects.toMatchObject({ code: 'read_only' });
      expect(await schemaVersion(ro)).toBe(2);
    } finally {
      await ro.close();
      await cleanup();
    }
  });
});
