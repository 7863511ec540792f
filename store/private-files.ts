/**
 * The case history is private: complaints name people, captures hold their
 * traffic. Folders are 0700 and files 0600 whatever existed before (a data
 * folder made 0755 by hand, an old database created under a 022 umask), so
 * nothing of it is readable by other users of the machine.
 */
import { chmod, mkdir, open, stat } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Create the folder (0700) or tighten an existing one; best effort on file systems without modes. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await tighten(dir, PRIVATE_DIR_MODE);
}

/** Create an empty file 0600 when missing (before SQLite creates it under the umask), or tighten it. */
export async function ensurePrivateFile(file: string): Promise<void> {
  const fh = await open(file, 'a', PRIVATE_FILE_MODE);
  await fh.close();
  await tighten(file, PRIVATE_FILE_MODE);
}

/** Tighten a file or folder that may not exist (SQLite's -wal and -shm come and go). */
export async function tightenIfPresent(path: string, mode: number): Promise<void> {
  const st = await stat(path).catch(() => null);
  if (st) await tighten(path, mode);
}

async function tighten(path: string, mode: number): Promise<void> {
  const st = await stat(path);
  // Only ever remove permissions: group and other bits off, never add any.
  if ((st.mode & 0o777 & ~mode) === 0) return;
  await chmod(path, st.mode & 0o777 & mode).catch(() => undefined);
}
