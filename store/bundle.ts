/**
 * A case bundle: one tar file (ustar, readable with `tar -tf`) holding
 *
 *   manifest.json           the case: complaint as understood, tags, runs, drafts, notes, audit, evidence list
 *   complaint/<name>        the complaint as received
 *   evidence/<sha256>       each evidence file (its original name is in the manifest)
 *   analysis/run-<n>.json   each analysis run's result
 *   drafts/v<n>.md          each draft version; reply.md is the latest
 *
 * Written to a temporary file, fsync'd and renamed, so a half-written bundle
 * never carries the final name. Read back entry by entry without loading
 * evidence into memory.
 */
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { z } from 'zod';
import { CASE_STATUSES, VERDICTS } from '../analysis/case-vocabulary';
import { caseTag, draftBody, draftSubject, noteBody } from '../analysis/case-fields';
import { StoreError } from './errors';

export const BUNDLE_FORMAT = 'abuse-desk-case-bundle';
export const BUNDLE_VERSION = 1;

export type TarSource = { bytes: Uint8Array } | { file: string; size: number };
export interface TarEntryIn { name: string; mtimeMs: number; source: TarSource }
export interface TarEntry { name: string; offset: number; size: number }

const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${Math.trunc(n).toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtimeMs: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar entry name too long: ${name}`);
  const h = Buffer.alloc(BLOCK);
  nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtimeMs / 1000, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** Write a tar file crash-safely (temp file, fsync, rename). */
export async function writeTar(path: string, entries: TarEntryIn[]): Promise<void> {
  const tmp = `${path}.partial-${process.pid}`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    for (const e of entries) {
      const size = 'bytes' in e.source ? e.source.bytes.length : e.source.size;
      await fh.write(header(e.name, size, e.mtimeMs));
      let written = 0;
      if ('bytes' in e.source) {
        await fh.write(e.source.bytes);
        written = e.source.bytes.length;
      } else {
        for await (const chunk of createReadStream(e.source.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
          await fh.write(chunk);
          written += chunk.length;
        }
      }
      if (written !== size) throw new StoreError('custody_mismatch', `${e.name} changed size while being exported (${written} bytes, expected ${size}).`);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) await fh.write(Buffer.alloc(pad));
    }
    await fh.write(Buffer.alloc(BLOCK * 2));
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * The entries of a tar file, without reading their contents. Only what our
 * writer makes is accepted: plain ustar file entries with a valid checksum,
 * plain names (no prefix field, no absolute or `..` path), each name once.
 * Anything else (a second manifest.json, a pax or GNU long-name header that
 * renames the next entry, a link) would let `tar -x` and this reader see
 * different files, so it is refused, naming the entry and its offset.
 */
export async function listTar(path: string): Promise<TarEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size: total } = await fh.stat();
    const entries: TarEntry[] = [];
    const seen = new Map<string, number>();
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    const refuse = (why: string): never => { throw new StoreError('invalid', `${path} is not a case bundle this version accepts: ${why}.`); };
    while (pos + BLOCK <= total) {
      await fh.read(h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) break;
      if (h.toString('ascii', 257, 262) !== 'ustar') throw new StoreError('invalid', `${path} is not a case bundle (no tar header at byte ${pos}).`);
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const shown = JSON.stringify(name);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
      if (parseInt(h.toString('ascii', 148, 156).replace(/\0.*$/s, '').trim() || '-1', 8) !== sum) refuse(`the header of entry ${shown} at byte ${pos} is damaged (checksum)`);
      const size = parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
      const type = h.toString('ascii', 156, 157);
      if (!Number.isFinite(size) || pos + BLOCK + size > total) throw new StoreError('invalid', `${path} is cut short or damaged (entry ${name}).`);
      if (type !== '0' && type !== '\0') refuse(`entry ${shown} at byte ${pos} is not a plain file (tar type "${type}")`);
      if (h[345] !== 0) refuse(`entry ${shown} at byte ${pos} has a name prefix (tar would read another name)`);
      if (!name || name.startsWith('/') || name.split('/').includes('..')) refuse(`entry ${shown} at byte ${pos} has a path outside the bundle`);
      const first = seen.get(name);
      if (first !== undefined) refuse(`the entry ${shown} appears twice, at byte ${first} and at byte ${pos} (tar -x would keep the last, an import the first)`);
      seen.set(name, pos);
      entries.push({ name, offset: pos + BLOCK, size });
      pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

export async function readTarEntry(path: string, e: TarEntry): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(e.size);
    await fh.read(buf, 0, e.size, e.offset);
    return buf;
  } finally {
    await fh.close();
  }
}

export function tarEntryStream(path: string, e: TarEntry): AsyncIterable<Uint8Array> {
  if (e.size === 0) return (async function* () { /* empty */ })();
  return createReadStream(path, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 1 << 20 });
}

const verdict = z.enum(VERDICTS);
/** ms since the epoch (year 0 to 275760, as Date allows). */
const time = z.number().int().min(0).max(8.64e15);
const entryName = z.string().min(1).max(100);
const address = z.string().max(64).regex(/^[0-9A-Fa-f:.]+(?:\/\d{1,3})?$/, { message: 'not an IP address or CIDR block' });
/** A name as received (a mail's attachment names are kept intact; whoever prints them strips what a terminal would obey). */
const receivedName = z.string().min(1).max(4096);
const auditAction = z.string().min(1).max(64).regex(/^[\w.-]+$/);

/**
 * manifest.json, checked on import (a bundle is outside input): the case's
 * fields by the same schemas as the app's (analysis/case-fields.ts) and
 * bounded lengths everywhere. What it says about evidence (sizes, hashes) is
 * only a claim the import checks against the files themselves.
 */
export const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.number().int().min(1).max(BUNDLE_VERSION),
  exportedAt: time,
  case: z.object({
    createdAt: time,
    updatedAt: time,
    receivedAt: time,
    status: z.enum(CASE_STATUSES),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    complaintName: receivedName,
    complaintEntry: entryName,
    complaint: z.record(z.string(), z.unknown()),
    accused: z.array(address).max(10_000),
    targets: z.array(address).max(10_000),
    tags: z.array(caseTag).max(1000),
  }),
  evidence: z.array(z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    originalName: receivedName,
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    format: z.string().max(64).nullable(),
    firstTs: z.number().nullable(),
    lastTs: z.number().nullable(),
    attachedAt: time,
    entry: entryName,
  })).max(10_000),
  runs: z.array(z.object({
    createdAt: time,
    engineVersion: z.string().max(64),
    schemaVersion: z.number().int(),
    verdict,
    confidence: z.number().min(0).max(1),
    durationMs: z.number().min(0),
    options: z.record(z.string(), z.unknown()),
    entry: entryName,
  })).max(10_000),
  drafts: z.array(z.object({
    version: z.number().int().positive(),
    subject: draftSubject,
    body: draftBody,
    origin: z.enum(['generated', 'edited']),
    /** Index into `runs` of the run that generated it. */
    runIndex: z.number().int().nullable(),
    createdAt: time,
    sentAt: time.nullable(),
  })).max(10_000),
  notes: z.array(z.object({ body: noteBody, createdAt: time })).max(10_000),
  /** The exporting desk's audit trail: kept on import as imported history, never as our own. */
  audit: z.array(z.object({ at: time, action: auditAction, detail: z.string().max(65_536) })).max(100_000),
  /**
   * The history the exporting desk imported the case with (from the bundles
   * it came in), carried on so that a case passed along keeps every desk's
   * trail; kept on import as imported history, each entry naming its bundle.
   * Absent in bundles from before it was carried.
   */
  importedHistory: z.array(z.object({ bundle: receivedName, importedAt: time, at: time, action: auditAction, detail: z.string().max(65_536) })).max(100_000).optional(),
});

export type BundleManifest = z.infer<typeof manifestSchema>;

/** A file name safe inside the bundle (no folders, no control characters, ≤ 80 bytes). */
export function safeEntryName(name: string): string {
  const base = name.split(/[\\/]/).pop() || 'complaint';
  const clean = base.replace(/[^\w.+-]/g, '_').replace(/^\.+/, '_');
  return (clean || 'complaint').slice(0, 80);
}

/** A draft as Markdown, for reply.md and drafts/v<n>.md. */
export function draftMarkdown(d: { subject: string; body: string; version: number; origin: string; sentAt: number | null }): string {
  const sent = d.sentAt ? `sent ${new Date(d.sentAt).toISOString()}` : 'not sent';
  return `# ${d.subject}\n\n<!-- draft version ${d.version}, ${d.origin}, ${sent} -->\n\n${d.body.trimEnd()}\n`;
}
