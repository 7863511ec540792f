/**
 * Evidence uploaded by the browser: streamed to `<data dir>/uploads/<id>/<name>`
 * with a size limit and a sanitised name, and referred to by the token
 * `upload:<id>` that the engine host resolves back to the path.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { join } from 'node:path';
import { UPLOAD_REF, type EvidenceRef } from '../../electron/common/contract';
import { CodedError } from '../../electron/common/result';

/** A file name safe on every file system: no separators, no control characters, no leading dots. */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 120);
  // Windows device names, for data dirs that travel.
  if (!clean || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(clean)) return `evidence${clean ? `-${clean}` : ''}`;
  return clean;
}

export class UploadStore {
  readonly dir: string;
  private readonly mine = new Map<string, { path: string; name: string; size: number }>();

  constructor(dataDir: string, readonly maxBytes: number) {
    this.dir = join(dataDir, 'uploads');
  }

  /** Remove uploads left by earlier sessions that are older than `maxAgeMs`. */
  async sweep(maxAgeMs = 24 * 3600_000): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch {
      return;
    }
    const now = Date.now();
    await Promise.all(entries.map(async (e) => {
      const p = join(this.dir, e);
      const st = await stat(p).catch(() => undefined);
      if (st && now - st.mtimeMs > maxAgeMs) await rm(p, { recursive: true, force: true });
    }));
  }

  /** Stream `body` to disk; throws CodedError('too_large') past the limit (the partial file is removed). */
  async save(body: Readable, originalName: string, declaredLength?: number): Promise<EvidenceRef> {
    if (declaredLength !== undefined && declaredLength > this.maxBytes) {
      throw new CodedError('too_large', `the file is larger than the upload limit of ${this.maxBytes} bytes`);
    }
    const id = randomBytes(16).toString('hex');
    const name = sanitizeFileName(originalName);
    const folder = join(this.dir, id);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, name);
    let size = 0;
    const max = this.maxBytes;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > max) cb(new CodedError('too_large', `the file is larger than the upload limit of ${max} bytes`));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(body, limit, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
    } catch (e) {
      await rm(folder, { recursive: true, force: true });
      if (e instanceof CodedError) throw e;
      throw new CodedError('io_error', `upload failed: ${(e as Error).message}`);
    }
    this.mine.set(id, { path, name, size });
    return { ref: `upload:${id}`, name, size };
  }

  /** The path behind an upload token; uploads of earlier sessions still on disk are found too. */
  async resolve(ref: string): Promise<{ path: string; name: string }> {
    if (!UPLOAD_REF.test(ref)) throw new CodedError('forbidden', 'in the browser, evidence must be uploaded (expected an upload:<id> token)');
    const id = ref.slice('upload:'.length);
    const known = this.mine.get(id);
    if (known) return known;
    const folder = join(this.dir, id);
    const files = await readdir(folder).catch(() => [] as string[]);
    if (files.length !== 1) throw new CodedError('not_found', `no upload ${ref}`);
    return { path: join(folder, files[0]), name: files[0] };
  }

  /** Delete this session's uploads (evidence is customer data: it does not outlive the server). */
  async removeSessionUploads(): Promise<void> {
    await Promise.all([...this.mine.keys()].map((id) => rm(join(this.dir, id), { recursive: true, force: true })));
    this.mine.clear();
  }
}
