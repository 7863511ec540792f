/**
 * Evidence kept in the shared database, content-addressed by SHA-256
 * (evidence_blobs, evidence_blob_chunks: migration 0002), behind the same
 * surface as the file vault (evidence-vault.ts), so the domain modules attach,
 * verify and re-read evidence the same way on either backend.
 *
 * Files move in 1 MiB chunks, never whole: hashed once from disk, then sent
 * chunk by chunk in one transaction while hashed again (a file that changed
 * in between is refused, nothing stored). Verifying reads the chunks back in
 * order and hashes them: the custody check is on the bytes the database
 * holds. The verified bytes are written to a private local cache as they are
 * hashed, and `pathOf` names that copy, for the analysis to read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { StoreError, toStoreError } from '../errors';
import type { PutJournal, StoredBlob, VerifyResult } from '../evidence-vault';
import type { PgDatabase } from './pg-database';

export const CHUNK_BYTES = 1 << 20;
/** Chunks fetched per query while verifying (8 MiB in memory at most). */
const CHUNKS_PER_READ = 8;
const SHA256 = /^[0-9a-f]{64}$/;

const CACHE_DAY_MS = 86_400_000;

export class PgVault {
  readonly tmpDir: string;
  private swept = false;

  /** `root`: what messages name (the database URL); `cacheDir`: the local copies for reading. */
  constructor(private readonly db: PgDatabase, readonly root: string, private readonly cacheDir = join(tmpdir(), `abuse-desk-evidence-${userInfo().uid}`)) {
    this.tmpDir = join(this.cacheDir, 'tmp');
  }

  /** The cache folder; local copies (and spool files) a day old are removed: each verify writes a fresh one. */
  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 }).catch((e: unknown) => { throw toStoreError(e, this.cacheDir); });
    if (this.swept) return;
    this.swept = true;
    for (const dir of [this.cacheDir, this.tmpDir]) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const st = await stat(join(dir, name)).catch(() => null);
        if (st?.isFile() && Date.now() - st.mtimeMs > CACHE_DAY_MS) await rm(join(dir, name), { force: true });
      }
    }
  }

  /** The local copy of a blob, written by the last successful verify of it. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.cacheDir, sha256);
  }

  async putFile(path: string): Promise<StoredBlob> {
    const first = await hashFile(path);
    const have = await this.db.get<{ size: number }>('SELECT size FROM evidence_blobs WHERE sha256 = ?', [first.sha256]);
    // An intact copy is kept (as the file vault keeps one); a damaged one is replaced below.
    if (have && (await this.verify(first.sha256)).state === 'verified') return { sha256: first.sha256, size: first.size, created: false };
    const created = await this.db.withClient(async (c) => {
      await c.exec('BEGIN');
      try {
        // A damaged copy is replaced; two apps sending the same file: the second waits on the row, then finds it.
        if (have) await c.run('DELETE FROM evidence_blobs WHERE sha256 = ?', [first.sha256]);
        const ins = await c.run('INSERT INTO evidence_blobs (sha256, size, stored_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [first.sha256, first.size, Date.now()]);
        if (!ins.changes) {
          await c.exec('ROLLBACK');
          return false;
        }
        const hash = createHash('sha256');
        let seq = 0;
        for await (const chunk of readChunks(path)) {
          hash.update(chunk);
          await c.run('INSERT INTO evidence_blob_chunks (sha256, seq, data) VALUES (?, ?, ?)', [first.sha256, seq++, chunk]);
        }
        if (hash.digest('hex') !== first.sha256) throw new StoreError('custody_mismatch', `The evidence file ${path} changed while it was being stored: nothing was stored. Attach it again once it is complete.`);
        await c.exec('COMMIT');
        return true;
      } catch (e) {
        await c.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
    return { ...first, created };
  }

  /** Stream bytes in (bundle import): spooled to a private file first, then stored like a file. */
  async put(source: AsyncIterable<Uint8Array>, expectSha256?: string, _journal?: PutJournal): Promise<StoredBlob> {
    await this.init();
    const tmp = join(this.tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        for await (const chunk of source) await fh.write(chunk);
      } finally {
        await fh.close();
      }
      const { sha256 } = await hashFile(tmp);
      if (expectSha256 !== undefined && sha256 !== expectSha256) {
        throw new StoreError('custody_mismatch', `Evidence content has SHA-256 ${sha256}, but ${expectSha256} was recorded for it: refusing to store it.`);
      }
      return await this.putFile(tmp);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** Re-hash the stored chunks against the SHA-256 they are filed under (and refresh the local copy when they match). */
  async verify(sha256: string): Promise<VerifyResult> {
    const blob = await this.db.get<{ size: number }>('SELECT size FROM evidence_blobs WHERE sha256 = ?', [sha256]);
    if (!blob) return { state: 'missing' };
    await this.init();
    const tmp = join(this.tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      for (let next = 0; ;) {
        const rows = await this.db.all<{ seq: number; data: Buffer }>(
          'SELECT seq, data FROM evidence_blob_chunks WHERE sha256 = ? AND seq >= ? ORDER BY seq LIMIT ?', [sha256, next, CHUNKS_PER_READ]);
        for (const r of rows) {
          hash.update(r.data);
          size += r.data.length;
          await fh.write(r.data);
        }
        if (rows.length < CHUNKS_PER_READ) break;
        next = rows.at(-1)!.seq + 1;
      }
    } finally {
      await fh.close();
    }
    const actual = hash.digest('hex');
    if (actual === sha256) await rename(tmp, this.pathOf(sha256));
    else await rm(tmp, { force: true });
    return { state: actual === sha256 ? 'verified' : 'mismatch', actualSha256: actual, size };
  }

  /** Present, with the recorded size and as many stored bytes. */
  async quickCheck(sha256: string, size: number): Promise<'unchecked' | 'mismatch' | 'missing'> {
    const r = await this.db.get<{ size: number; stored: number }>(
      'SELECT b.size, coalesce((SELECT sum(octet_length(data)) FROM evidence_blob_chunks k WHERE k.sha256 = b.sha256), 0) AS stored FROM evidence_blobs b WHERE b.sha256 = ?', [sha256]);
    if (!r) return 'missing';
    return r.size === size && r.stored === size ? 'unchecked' : 'mismatch';
  }

  async *files(): AsyncGenerator<{ sha256: string; size: number; mtimeMs: number }> {
    const rows = await this.db.all<{ sha256: string; size: number; stored_at: number }>('SELECT sha256, size, stored_at FROM evidence_blobs ORDER BY sha256');
    for (const r of rows) yield { sha256: r.sha256, size: r.size, mtimeMs: r.stored_at };
  }

  async remove(sha256: string): Promise<void> {
    await this.db.run('DELETE FROM evidence_blobs WHERE sha256 = ?', [sha256]);
    await rm(this.pathOf(sha256), { force: true });
  }
}

async function* readChunks(path: string): AsyncGenerator<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new StoreError(code === 'ENOENT' ? 'not_found' : 'io', `Cannot read the evidence file ${path}: ${code === 'ENOENT' ? 'it does not exist' : (e as Error).message}.`, e);
  }
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      let filled = 0;
      while (filled < CHUNK_BYTES) {
        const { bytesRead } = await fh.read(buf, filled, CHUNK_BYTES - filled, null);
        if (!bytesRead) break;
        filled += bytesRead;
      }
      if (filled) yield buf.subarray(0, filled);
      if (filled < CHUNK_BYTES) return;
    }
  } finally {
    await fh.close();
  }
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of readChunks(path)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
