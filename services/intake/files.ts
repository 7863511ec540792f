import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describeMessage, type IntakeMessage } from './message';
import { readMbox } from './mbox';

/** A Maildir: cur/ and new/ (tmp/ holds deliveries in progress and is skipped), in file-name order. */
export async function* readMaildir(path: string): AsyncGenerator<IntakeMessage> {
  for (const sub of ['cur', 'new']) {
    let names: string[];
    try {
      names = (await readdir(join(path, sub))).filter((n) => !n.startsWith('.')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const raw = new Uint8Array(await readFile(join(path, sub, name)));
      yield describeMessage(raw, { kind: 'maildir', path, filename: `${sub}/${name}` });
    }
  }
}

/** .eml files: the given files, or every .eml in a folder, in name order. */
export async function* readEmlFiles(paths: string[]): AsyncGenerator<IntakeMessage> {
  for (const p of paths) {
    const raw = new Uint8Array(await readFile(p));
    yield describeMessage(raw, { kind: 'eml', path: p, filename: basename(p) });
  }
}

export async function* readEmlFolder(path: string): AsyncGenerator<IntakeMessage> {
  const names = (await readdir(path)).filter((n) => /\.eml$/i.test(n)).sort();
  yield* readEmlFiles(names.map((n) => join(path, n)));
}

/** Is `path` a Maildir (has cur/ or new/)? */
async function isMaildir(path: string): Promise<boolean> {
  for (const sub of ['cur', 'new']) {
    try { if ((await stat(join(path, sub))).isDirectory()) return true; } catch { /* absent */ }
  }
  return false;
}

/**
 * Messages from local paths, each recognised: a Maildir folder, a folder of
 * .eml files, an mbox file (starts with "From "), or a single message file.
 */
export async function* readMessages(paths: string[]): AsyncGenerator<IntakeMessage> {
  for (const p of paths) {
    const st = await stat(p);
    if (st.isDirectory()) {
      yield* (await isMaildir(p)) ? readMaildir(p) : readEmlFolder(p);
      continue;
    }
    if ((await firstBytes(p, 5)) === 'From ' && !/\.eml$/i.test(p)) yield* readMbox(p);
    else yield* readEmlFiles([p]);
  }
}

/** The first `n` bytes of a file as latin1, without reading the rest (an mbox can be many gigabytes). */
async function firstBytes(path: string, n: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fh.close();
  }
}
