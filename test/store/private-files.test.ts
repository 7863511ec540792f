/**
 * The case history is created private and an existing one made private: a
 * data folder made 0755 and a database left 0644 come out 0700 and 0600, with
 * SQLite's -wal and -shm files 0600 too.
 */
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseStore, makeTempDataDir, removeDataDir } from '../../store/case-store';
import { ensurePrivateFile } from '../../store/private-files';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await removeDataDir(d);
});

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

describe('private files', () => {
  it('creates the store 0700/0600 under a permissive umask', async () => {
    const parent = await makeTempDataDir('private-files-');
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    const old = process.umask(0o022);
    try {
      const store = await CaseStore.open(dataDir);
      await store.createOrFindCase({ complaintRaw: 'x scanned us', complaintName: 'pasted', complaint: { format: 'text', reporter: {}, accused: [], targets: [], ports: { source: [], destination: [] }, activity: 'port-scan', times: [], zone: 'UTC', quotedEvents: [], text: 'x scanned us', attachments: [], warnings: [] } });
      const files = (await readdir(dataDir)).filter((f) => f.startsWith('cases.sqlite'));
      expect(files).toEqual(expect.arrayContaining(['cases.sqlite', 'cases.sqlite-wal', 'cases.sqlite-shm']));
      for (const f of files) expect(await modeOf(join(dataDir, f)), f).toBe(0o600);
      expect(await modeOf(dataDir)).toBe(0o700);
      expect(await modeOf(join(dataDir, 'evidence'))).toBe(0o700);
      await store.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens a folder and a database that existed with wider modes', async () => {
    const dataDir = await makeTempDataDir('private-files-old-');
    dirs.push(dataDir);
    const first = await CaseStore.open(dataDir);
    await first.close();
    await chmod(dataDir, 0o755);
    await chmod(join(dataDir, 'cases.sqlite'), 0o644);
    await mkdir(join(dataDir, 'evidence'), { recursive: true });
    await chmod(join(dataDir, 'evidence'), 0o755);
    const again = await CaseStore.open(dataDir);
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(join(dataDir, 'cases.sqlite'))).toBe(0o600);
    expect(await modeOf(join(dataDir, 'evidence'))).toBe(0o700);
    await again.close();
  });

  it('only ever removes permissions', async () => {
    const dir = await makeTempDataDir('private-files-narrow-');
    dirs.push(dir);
    const f = join(dir, 'f');
    await writeFile(f, 'x');
    await chmod(f, 0o400);
    await ensurePrivateFile(f);
    expect(await modeOf(f)).toBe(0o400);
  });
});
