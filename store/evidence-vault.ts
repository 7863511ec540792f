/**
 * Evidence files, kept content-addressed: DATA/evidence/ab/cdef… named by
 * their SHA-256 (the original name lives in the database). A file is streamed
 * into a temporary file while it is hashed, fsync'd, then renamed into place
 * and the directory fsync'd, so after a crash a stored file is either whole or
 * absent; the database row that points at it is only committed afterwards.
 * Temporary files left by a crash are removed on the next open.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { ensurePrivateDir } from './private-files';
import { join } from 'node:path';
import { StoreError, toStoreError } from './errors';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** True when this call put the file in place (it was absent or damaged); false when an intact copy was there already. */
  created?: boolean;
}

/** Told of each file a put is about to create, before it appears (vault-gc.ts journals them, so a crash leaves a trail). */
export interface PutJournal {
  /** `mtimeMs`: the new file's mtime, so a later touch (another put of the same content) can be told apart. */
  record(sha256: string, mtimeMs: number): Promise<void>;
}

export interface VerifyResult {
  state: 'verified' | 'mismatch' | 'missing';
  /** The SHA-256 found (when the file exists). */
  actualSha256?: string;
  size?: number;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** Names of the journals of new files in tmp/ (see vault-gc.ts). */
export const PENDING_SUFFIX = '.pending';

export class EvidenceVault {
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  /** Create the folders and remove temporary files a crash left behind (named `<pid>-…`). */
  async init(): Promise<void> {
    try {
      await ensurePrivateDir(this.root);
      await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
      // Another process may be writing into tmp/ right now: remove only files of dead processes (or a day old).
      for (const name of await readdir(this.tmpDir)) {
        // Journals of new files (vault-gc.ts) are settled against the database once it is open.
        if (name.endsWith(PENDING_SUFFIX)) continue;
        const pid = Number(/^(\d+)-/.exec(name)?.[1]);
        const st = await stat(join(this.tmpDir, name)).catch(() => null);
        if (!st || (pid && processAlive(pid) && Date.now() - st.mtimeMs < 86_400_000)) continue;
        await rm(join(this.tmpDir, name), { force: true });
      }
    } catch (e) {
      throw toStoreError(e, this.root);
    }
  }

  /** Where the file with this SHA-256 is (or would be) kept. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  /** Copy a file from disk into the vault (`journal`: as for put). */
  async putFile(path: string, journal?: PutJournal): Promise<StoredBlob> {
    let fh;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new StoreError(code === 'ENOENT' ? 'not_found' : 'io', `Cannot read the evidence file ${path}: ${code === 'ENOENT' ? 'it does not exist' : (e as Error).message}.`, e);
    }
    return this.put(fh.createReadStream({ highWaterMark: 1 << 20 }), undefined, journal);
  }

  /**
   * Stream bytes into the vault. When `expectSha256` is given and the content
   * hashes differently, nothing is stored and a 'custody_mismatch' StoreError
   * is thrown (used by bundle import). A `journal` hears of a file before it
   * is created, so that an operation that fails (or dies) before committing
   * the row that names it can remove it again (vault-gc.ts).
   */
  async put(source: AsyncIterable<Uint8Array>, expectSha256?: string, journal?: PutJournal): Promise<StoredBlob> {
    const tmp = join(this.tmpDir, `${process.pid}-${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    let fh;
    try {
      fh = await open(tmp, 'wx', 0o600);
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
        await fh.write(chunk);
      }
      await fh.sync();
      await fh.close();
      fh = undefined;
      const sha256 = hash.digest('hex');
      if (expectSha256 !== undefined && sha256 !== expectSha256) {
        await rm(tmp, { force: true });
        throw new StoreError('custody_mismatch', `Evidence content has SHA-256 ${sha256}, but ${expectSha256} was recorded for it: refusing to store it.`);
      }
      const dest = this.pathOf(sha256);
      const dir = join(this.root, sha256.slice(0, 2));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const existing = await this.verify(sha256);
      if (existing.state === 'verified') {
        await rm(tmp, { force: true });
        // Touched, so that a collector sees it is wanted again (vault-gc.ts leaves recently used files alone).
        const now = new Date();
        await utimes(dest, now, now).catch(() => undefined);
        return { sha256, size, created: false };
      }
      // Absent, or present but damaged: the fresh copy replaces it.
      if (journal) await journal.record(sha256, (await stat(tmp)).mtimeMs);
      await rename(tmp, dest);
      await fsyncDir(dir);
      return { sha256, size, created: true };
    } catch (e) {
      await fh?.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      if (e instanceof StoreError) throw e;
      throw toStoreError(e, this.root);
    }
  }

  /** Re-hash a stored file and compare it with the SHA-256 it is filed under. */
  async verify(sha256: string): Promise<VerifyResult> {
    const path = this.pathOf(sha256);
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
      }
      const actual = hash.digest('hex');
      return { state: actual === sha256 ? 'verified' : 'mismatch', actualSha256: actual, size };
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return { state: 'missing' };
      throw toStoreError(e, path);
    }
  }

  /** Every file in the vault: its SHA-256, size and last change (tmp/ and anything not named by a SHA-256 left out). */
  async *files(): AsyncGenerator<{ sha256: string; size: number; mtimeMs: number }> {
    for (const sub of await readdir(this.root).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const f of await readdir(join(this.root, sub)).catch(() => [] as string[])) {
        const sha256 = sub + f;
        if (!SHA256.test(sha256)) continue;
        const st = await stat(join(this.root, sub, f)).catch(() => null);
        if (st?.isFile()) yield { sha256, size: st.size, mtimeMs: st.mtimeMs };
      }
    }
  }

  /** Remove a stored file (the collector's job, once no row names it). */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /** The fast check done when a case is opened: present, and of the recorded size. */
  async quickCheck(sha256: string, size: number): Promise<'unchecked' | 'mismatch' | 'missing'> {
    try {
      const st = await stat(this.pathOf(sha256));
      return st.size === size ? 'unchecked' : 'mismatch';
    } catch {
      return 'missing';
    }
  }
}

/** Whether a process of this machine still runs (EPERM: it runs under another user); a temp file named by its pid is still in use. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
