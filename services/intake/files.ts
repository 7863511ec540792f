import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MessageBytes } from './message-bytes';
import { describeMessage, type IntakeMessage, type MessageSource } from './message';
import { MAX_MESSAGE_BYTES, readMbox, type MboxOptions } from './mbox';

/**
 * One message file: read whole when within the bound, else its first `bound`
 * bytes, the file streamed through a hash (never whole in memory) and named
 * as where the whole message is.
 */
async function readMessageFile(path: string, source: MessageSource, bound = MAX_MESSAGE_BYTES): Promise<IntakeMessage> {
  if ((await stat(path)).size <= bound) return describeMessage(new Uint8Array(await readFile(path)), source);
  const bytes = new MessageBytes(bound);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes.push(chunk);
  }
  const { raw } = await bytes.finish();
  const msg = describeMessage(raw, source);
  if (bytes.beyond) {
    msg.whole = { path, size: bytes.size, sha256: hash.digest('hex'), spooled: false };
    msg.warnings.push(`message file ${path} is larger than ${bound} bytes: its first ${bound} bytes were read, the whole message (${bytes.size} bytes) is kept as received`);
  }
  return msg;
}

/** A Maildir: cur/ and new/ (tmp/ holds deliveries in progress and is skipped), in file-name order. */
export async function* readMaildir(path: string, bound?: number): AsyncGenerator<IntakeMessage> {
  for (const sub of ['cur', 'new']) {
    let names: string[];
    try {
      names = (await readdir(join(path, sub))).filter((n) => !n.startsWith('.')).sort();
    } catch {
      continue;
    }
    for (const name of names) yield await readMessageFile(join(path, sub, name), { kind: 'maildir', path, filename: `${sub}/${name}` }, bound);
  }
}

/** .eml files: the given files, or every .eml in a folder, in name order. */
export async function* readEmlFiles(paths: string[], bound?: number): AsyncGenerator<IntakeMessage> {
  for (const p of paths) yield await readMessageFile(p, { kind: 'eml', path: p, filename: basename(p) }, bound);
}

export async function* readEmlFolder(path: string, bound?: number): AsyncGenerator<IntakeMessage> {
  const names = (await readdir(path)).filter((n) => /\.eml$/i.test(n)).sort();
  yield* readEmlFiles(names.map((n) => join(path, n)), bound);
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
 * A message over the bound is read that far; an mbox's is written whole to
 * `spoolDir` (a file of its own is where it is already).
 */
export async function* readMessages(paths: string[], opts: MboxOptions = {}): AsyncGenerator<IntakeMessage> {
  for (const p of paths) {
    const st = await stat(p);
    if (st.isDirectory()) {
      yield* (await isMaildir(p)) ? readMaildir(p, opts.maxMessageBytes) : readEmlFolder(p, opts.maxMessageBytes);
      continue;
    }
    if ((await firstBytes(p, 5)) === 'From ' && !/\.eml$/i.test(p)) yield* readMbox(p, opts);
    else yield* readEmlFiles([p], opts.maxMessageBytes);
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
