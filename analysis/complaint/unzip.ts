/**
 * Just enough ZIP (PKWARE APPNOTE 4.3.7, 4.3.12) to open the one-CSV
 * archives Shadowserver attaches: walk the central directory, inflate with
 * the platform's DecompressionStream('deflate-raw'). Stored and deflated
 * entries only; anything else is skipped with a reason.
 *
 * Inflating is bounded while it runs, never checked afterwards: the
 * compressed bytes go in by the kibibyte (deflate expands at most 1032:1, so
 * one step makes at most about 1 MiB) and reading stops where the entry's,
 * the declared size's or the message's room ends. What was inflated by then
 * is kept and the problem names the entry, the offset and the limit.
 */
import { DEFAULT_LIMITS, formatBytes, MessageBudget } from '../limits';

export interface ZipEntry {
  name: string;
  content: Uint8Array;
}

export interface UnzipOptions {
  /** Entries read (default 20). */
  entries?: number;
  /** Bytes one entry may inflate to (default 20 MiB). */
  entryBytes?: number;
  /** The message's account: entries take their bytes from it, and stop when it is spent (default: 64 MiB for this archive alone). */
  budget?: MessageBudget;
}

/** Compressed bytes handed to the inflater at a time: at most ~1 MiB of output waits to be read. */
const FEED = 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 22 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Inflate up to `limit` bytes; `cut` when the data would have made more. Throws on damaged data. */
async function inflateRaw(data: Uint8Array, limit: number): Promise<{ bytes: Uint8Array; cut: boolean }> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stop = false;
  const feeding = (async () => {
    for (let p = 0; p < data.length && !stop; p += FEED) await writer.write(data.subarray(p, p + FEED) as Uint8Array<ArrayBuffer>);
    if (!stop) await writer.close();
  })();
  // A stopped or failed stream rejects the pending write; the reader reports real damage.
  feeding.catch(() => undefined);
  const parts: Uint8Array[] = [];
  let total = 0;
  let cut = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.length > limit) {
        parts.push(value.subarray(0, limit - total));
        total = limit;
        cut = true;
        break;
      }
      parts.push(value);
      total += value.length;
    }
  } finally {
    if (cut) {
      stop = true;
      await reader.cancel().catch(() => undefined);
      await writer.abort().catch(() => undefined);
    }
  }
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of parts) { out.set(part, p); p += part.length; }
  return { bytes: out, cut };
}

/**
 * Entries of a ZIP archive, one at a time (the caller reads one before the
 * next is inflated); `problems` collects what could not be read, or was
 * read only in part.
 */
export async function* zipEntries(bytes: Uint8Array, problems: string[], opts: UnzipOptions = {}): AsyncGenerator<ZipEntry> {
  const maxEntries = opts.entries ?? DEFAULT_LIMITS.message.zipEntries;
  const entryBytes = opts.entryBytes ?? DEFAULT_LIMITS.message.zipEntryBytes;
  const budget = opts.budget ?? new MessageBudget(DEFAULT_LIMITS.message);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) { problems.push('zip: no end of central directory record'); return; }
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  /** Byte ranges (local header to end of data) of the entries read. */
  const taken: Array<[number, number]> = [];
  if (count > maxEntries) problems.push(`zip: ${count} entries: only the first ${maxEntries} were read (limit ${maxEntries} entries per archive)`);
  for (let e = 0; e < count && e < maxEntries; e++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== 0x02014b50) { problems.push('zip: central directory is damaged'); break; }
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const csize = dv.getUint32(p + 20, true);
    const usize = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const local = dv.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (flags & 1) { problems.push(`zip: ${name} is encrypted`); continue; }
    if (local + 30 > bytes.length || dv.getUint32(local, true) !== 0x04034b50) { problems.push(`zip: ${name}: bad local header`); continue; }
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    const end = Math.min(bytes.length, start + csize);
    // Entries that overlap multiply one compressed stream (the overlapping-file zip bomb); real archives never do.
    if (taken.some(([a, b]) => local < b && a < end)) { problems.push(`zip: ${name}: overlaps another entry's data; skipped`); continue; }
    taken.push([local, end]);
    const data = bytes.subarray(start, end);
    const room = budget.decodedRoom();
    if (room <= 0) {
      problems.push(`zip: stopped before ${name}: the message's decoded-bytes limit (${formatBytes(budget.limits.decodedBytes)}) is spent`);
      return;
    }
    // Which limit binds, for the warning when the entry is cut.
    const limits: Array<[number, string]> = [
      [entryBytes, `the per-entry limit (${formatBytes(entryBytes)})`],
      [room, `the message's decoded-bytes limit (${formatBytes(budget.limits.decodedBytes)})`],
    ];
    if (method === 8 && usize > 0) limits.push([usize + 1024, `its declared size (${usize} bytes)`]);
    const [limit, why] = limits.reduce((a, b) => (b[0] < a[0] ? b : a));
    try {
      let content: Uint8Array | undefined;
      let cut = false;
      if (method === 0) { cut = data.length > limit; content = data.slice(0, limit); }
      else if (method === 8) ({ bytes: content, cut } = await inflateRaw(data, limit));
      else problems.push(`zip: ${name}: compression method ${method} not supported`);
      if (!content) continue;
      budget.useDecoded(content.length);
      if (cut) problems.push(`zip: ${name}: read only its first ${content.length} bytes (stopped at byte offset ${content.length}): ${why} was reached`);
      yield { name, content };
    } catch (err) {
      problems.push(`zip: ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** All entries of a ZIP archive (see zipEntries). */
export async function unzip(bytes: Uint8Array, problems: string[], opts: UnzipOptions = {}): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  for await (const entry of zipEntries(bytes, problems, opts)) out.push(entry);
  return out;
}
