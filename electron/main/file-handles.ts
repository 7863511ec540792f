/**
 * Main's map handle -> path for files the operator chose (dialogs) or
 * dropped (the preload registers them): the renderer only ever holds
 * handles, so it can name no file the operator did not hand it. No Electron
 * import, so it is tested as is.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { FILE_HANDLE } from '../common/file-handles';
import { CodedError } from '../common/result';

export interface HandleEntry {
  path: string;
  name: string;
  kind: 'file' | 'folder';
}

/** Enough for any session; the oldest handles go first past it (map bounded whatever the renderer does). */
const MAX_HANDLES = 10_000;

export class FileHandles {
  private readonly map = new Map<string, HandleEntry>();

  constructor(private readonly max = MAX_HANDLES) {}

  /** A handle for a path main obtained itself (a dialog's result, a dropped file's path from webUtils). */
  register(path: string, kind: HandleEntry['kind'] = 'file'): string {
    if (!isAbsolute(path) || path.includes('\0')) throw new CodedError('bad_request', 'not an absolute path');
    const handle = `file:${randomBytes(16).toString('hex')}`;
    this.map.set(handle, { path, name: basename(path), kind });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return handle;
  }

  /** The entry behind a handle; a path or an unknown handle is refused. */
  lookup(ref: string): HandleEntry {
    if (!FILE_HANDLE.test(ref)) throw new CodedError('forbidden', 'files are accepted only as chosen in a dialog or dropped on the window, not by path');
    const entry = this.map.get(ref);
    if (!entry) throw new CodedError('not_found', 'this file handle is unknown or expired: choose the file again');
    return entry;
  }

  /** Evidence: a handle to a regular file that still exists. */
  async resolveFile(ref: string): Promise<{ path: string; name: string }> {
    const e = this.lookup(ref);
    const st = await stat(e.path).catch(() => undefined);
    if (!st) throw new CodedError('not_found', `${e.name} is gone`);
    if (!st.isFile()) throw new CodedError('bad_request', `${e.name} is not a regular file`);
    return { path: e.path, name: e.name };
  }

  /** A mailbox: a handle to a file or a folder. */
  async resolveFileOrFolder(ref: string): Promise<string> {
    const e = this.lookup(ref);
    const st = await stat(e.path).catch(() => undefined);
    if (!st) throw new CodedError('not_found', `${e.name} is gone`);
    if (!st.isFile() && !st.isDirectory()) throw new CodedError('bad_request', `${e.name} is not a file or folder`);
    return e.path;
  }

  /** Register a path the preload got from a dropped or picked File: it must be a regular file now. */
  async registerDropped(path: unknown): Promise<{ ref: string; name: string; size: number }> {
    if (typeof path !== 'string' || !path || path.length > 4096) throw new CodedError('bad_request', 'no file path');
    if (!isAbsolute(path)) throw new CodedError('bad_request', 'not an absolute path');
    const st = await stat(path).catch(() => undefined);
    if (!st) throw new CodedError('not_found', `no such file: ${basename(path)}`);
    if (!st.isFile()) throw new CodedError('bad_request', `${basename(path)} is not a regular file`);
    return { ref: this.register(path, 'file'), name: basename(path), size: st.size };
  }

  get size(): number {
    return this.map.size;
  }
}
