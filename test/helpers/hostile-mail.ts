import { renderMail, type Leaf, type Tree } from './fuzz-mime';
import { writeZip } from './fuzz-zip';

/**
 * Mail built to hurt the complaint reader: many small zip attachments whose
 * entries inflate about 1000:1 (a "zip bomb-lite": every archive within the
 * per-archive caps, the message as a whole far past any sane memory use).
 */
export interface ZipHeavyOptions {
  /** Zip attachments in the message. */
  zips: number;
  /** Entries in each zip. */
  entries: number;
  /** Inflated bytes of each entry. */
  entryBytes: number;
  /** Attachment names: NAME-0.zip, NAME-1.zip, ... (default "report"). */
  zipName?: string;
  /** Subject header (raw text; may hold control characters). */
  subject?: string;
}

/**
 * A CSV line naming an address, then one short row repeated: deflate packs
 * a 4-byte period near its 1032:1 limit (a 46-byte one only about 340:1).
 */
function compressible(bytes: number, seed: number): Uint8Array {
  const head = Buffer.from(`2015-01-01 10:00:0${seed % 10},198.51.100.${seed % 250},tcp,445,scan\n`);
  const row = Buffer.from('a,b\n');
  const out = Buffer.alloc(bytes);
  head.copy(out, 0, 0, Math.min(head.length, bytes));
  for (let p = head.length; p < bytes; p += row.length) row.copy(out, p, 0, Math.min(row.length, bytes - p));
  return out;
}

export function zipHeavyMail(o: ZipHeavyOptions): Uint8Array {
  const parts: Leaf[] = [
    { type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: Buffer.from('Scanning from 198.51.100.7 against our hosts, reports attached.\n') },
  ];
  // One archive, attached under many names: deflating gigabytes once per test would be the slow part.
  const zip = writeZip(Array.from({ length: o.entries }, (_, e) => ({ name: `report-${e}.csv`, data: compressible(o.entryBytes, e), method: 8 as const })));
  for (let z = 0; z < o.zips; z++) parts.push({ type: 'application/zip', encoding: 'base64', filename: `${o.zipName ?? 'report'}-${z}.zip`, body: zip });
  const tree: Tree = { subtype: 'mixed', boundary: 'hostile-boundary-1', parts };
  return renderMail([
    ['From', 'reports@example.org'],
    ['To', 'abuse@example.net'],
    ['Subject', o.subject ?? 'Scan report'],
    ['Date', 'Thu, 1 Jan 2015 10:00:00 +0000'],
  ], tree, '\r\n');
}

/** The reported case: 60 zips of 20 entries, 4 MiB each inflated (a 7 MB mail, 4.8 GiB inflated). */
export const REPORTED_ZIP_HEAVY: ZipHeavyOptions = { zips: 60, entries: 20, entryBytes: 4 * 1024 * 1024 };
