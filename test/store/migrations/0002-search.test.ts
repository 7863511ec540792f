import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../../store/database';
import { migrate, schemaVersion } from '../../../store/migrations/index';
import { CaseStore } from '../../../store/case-store';
import { tempDir } from '../helpers';

describe('migration 0002-search', () => {
  it('indexes the cases already stored: full text and CIDR keys are filled from existing rows', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    try {
      await migrate(db, 1);
      await db.transaction(async (tx) => {
        for (const [id, addr, text] of [[1, '198.51.100.10', 'a syn flood from your host'], [2, '2001:db8::7', 'ssh brute force attempts'], [3, '192.0.2.1', 'spam run']] as const) {
          await tx.run(`INSERT INTO cases (id, created_at, updated_at, received_at, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text, subject, reporter_address, reporter_domain)
            VALUES (?, ?, ?, ?, ?, 'c.txt', x'00', '{}', ?, 'complaint', 'noc@example.org', 'example.org')`, [id, id, id, id, String(id).repeat(64), text]);
          await tx.run("INSERT INTO case_addresses (case_id, role, address) VALUES (?, 'accused', ?)", [id, addr]);
        }
        await tx.run("INSERT INTO drafts (case_id, version, subject, body, origin, created_at) VALUES (1, 1, 'Re: complaint', 'this was backscatter', 'edited', 1)");
      });
      expect(await migrate(db, 2)).toEqual([2]);
      expect(await schemaVersion(db)).toBe(2);
      const hits = async (q: string) => (await db.all<{ rowid: number }>('SELECT rowid FROM case_fts WHERE case_fts MATCH ? ORDER BY rowid', [q])).map((r) => r.rowid);
      expect(await hits('flood')).toEqual([1]);
      expect(await hits('backscatter')).toEqual([1]);
      expect(await hits('"2001:db8::7"')).toEqual([2]);
      expect(await hits('"example.org"')).toEqual([1, 2, 3]);
      const keys = await db.all<{ address: string; addr_key: string }>('SELECT address, addr_key FROM case_addresses ORDER BY case_id');
      expect(keys.every((k) => /^[0-9a-f]{32}$/.test(k.addr_key))).toBe(true);
    } finally {
      await db.close();
    }
    // And the store works on the migrated database.
    const store = await CaseStore.open(dir);
    try {
      expect((await store.listCases({ accused: '198.51.100.0/24' })).items.map((c) => c.id)).toEqual([1]);
      expect((await store.search('brute')).items.map((c) => c.id)).toEqual([2]);
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('refuses a database from a newer Abuse Desk without touching it', async () => {
    const { dir, cleanup } = await tempDir();
    const db = await Database.open(join(dir, 'cases.sqlite'));
    await db.exec('PRAGMA user_version = 99');
    await db.close();
    await expect(CaseStore.open(dir)).rejects.toMatchObject({ code: 'too_new' });
    await cleanup();
  });
});
