/**
 * A read-only data folder. Tests run as root here, and root ignores file
 * permissions (chmod 0555 does not stop it writing), so the store is opened by
 * a child process running as an unprivileged user (uid/gid 65534, "nobody"):
 * a real EACCES/SQLITE_READONLY path, not a simulated one. When the tests do
 * not run as root, the child runs as the current user, for whom chmod works.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseStore } from '../../store/case-store';
import { repoRoot } from '../helpers/paths';
import { fakeComplaint, tempDir } from './helpers';

const child = join(repoRoot, 'test', 'store', 'children', 'read-only.ts');
const asRoot = process.getuid?.() === 0;

function runChild(dataDir: string): Record<string, { code: string; message: string } | string | number | boolean> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, dataDir], {
    cwd: repoRoot, encoding: 'utf8', timeout: 30_000,
    ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } } : {}),
  });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as never;
}

async function chmodTree(path: string, dirMode: number, fileMode: number): Promise<void> {
  const st = await stat(path);
  if (!st.isDirectory()) return chmod(path, fileMode);
  for (const name of await readdir(path)) await chmodTree(join(path, name), dirMode, fileMode);
  await chmod(path, dirMode);
}

describe('read-only data folder', () => {
  it('browses an existing store read-only and refuses writes with a clear read_only StoreError', async () => {
    const { dir, cleanup } = await tempDir();
    const dataDir = join(dir, 'data');
    const store = await CaseStore.open(dataDir);
    const c = fakeComplaint();
    await store.createOrFindCase({ complaintRaw: c.text, complaintName: 'c.txt', complaint: c });
    await store.close();
    await chmod(dir, 0o755);
    await chmodTree(dataDir, 0o555, 0o444);
    try {
      const out = runChild(dataDir);
      expect(out.readOnly).toBe(true);
      expect(out.listed).toBe(1);
      expect(out.save).toMatchObject({ code: 'read_only', message: expect.stringMatching(new RegExp(`${dataDir}.*read-only|read-only.*${dataDir}`)) });
      expect(out.note).toMatchObject({ code: 'read_only' });
    } finally {
      await chmodTree(dataDir, 0o755, 0o644);
      await cleanup();
    }
  });

  it('cannot create a store in a read-only folder and says so', async () => {
    const { dir, cleanup } = await tempDir();
    await chmod(dir, 0o755);
    await mkdir(join(dir, 'locked'), { mode: 0o555 });
    try {
      const out = runChild(join(dir, 'locked', 'data'));
      expect(out.open).toMatchObject({ code: 'read_only', message: expect.stringContaining(join(dir, 'locked', 'data')) });
    } finally {
      await chmod(join(dir, 'locked'), 0o755);
      await cleanup();
    }
  });
});
