/**
 * Just enough ZIP (PKWARE APPNOTE 4.3.7, 4.3.12) to open the one-CSV
 * archives Shadowserver attaches: walk the central directory, inflate with
 * the platform's DecompressionStream('deflate-raw'). Stored and deflated
 * entries only; anything else is skipped with a reason.
 */

export interface ZipEntry {
  name: string;
  content: Uint8Array;
}

const MAX_ENTRY_BYTES = 20 * 1024 * 1024;
const MAX_ENTRIES = 20;
/** All entries together: a small archive must not become hundreds of megabytes in memory. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 22 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

async function inflateRaw(data: Uint8Array, limit: number): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) { await reader.cancel(); throw new Error(`entry inflates past ${limit} bytes`); }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of parts) { out.set(part, p); p += part.length; }
  return out;
}

/** Entries of a ZIP archive; `problems` collects what could not be read. */
export async function unzip(bytes: Uint8Array, problems: string[]): Promise<ZipEntry[]> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) { problems.push('zip: no end of central directory record'); return []; }
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const out: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  /** Byte ranges (local header to end of data) of the entries read. */
  const taken: Array<[number, number]> = [];
  let total = 0;
  for (let e = 0; e < count && e < MAX_ENTRIES; e++) {
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
    const room = Math.min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES - total);
    if (room <= 0) { problems.push(`zip: stopped before ${name}: the entries read so far hold ${total} bytes`); break; }
    try {
      let content: Uint8Array | undefined;
      if (method === 0) content = data.slice(0, room);
      else if (method === 8) content = await inflateRaw(data, Math.min(room, usize > 0 ? usize + 1024 : room));
      else problems.push(`zip: ${name}: compression method ${method} not supported`);
      if (content) { out.push({ name, content }); total += content.length; }
    } catch (err) {
      problems.push(`zip: ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}
