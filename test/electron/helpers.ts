import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { casesDir } from '../helpers/paths';

export const synfloodCase = join(casesDir, 'seed001-synflood-backscatter');

/** A temp folder removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A classic pcap of about `megabytes` MB: the header and records of a case's
 * capture, with the records repeated. Written in 8 MB blocks.
 */
export function writeBigPcap(path: string, megabytes: number): number {
  const src = readFileSync(join(synfloodCase, 'www-border.pcap'));
  const header = src.subarray(0, 24);
  const records = src.subarray(24);
  const perBlock = Math.max(1, Math.floor((8 << 20) / records.length));
  const block = Buffer.concat(Array.from({ length: perBlock }, () => records));
  const fd = openSync(path, 'w');
  let size = 0;
  try {
    size += writeSync(fd, header);
    while (size < megabytes * 1_000_000) size += writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return size;
}

/** A complaint about an address that is not in the capture: the engine decodes everything and keeps nothing (fast). */
export const UNRELATED_COMPLAINT = 'Subject: portscan from 198.51.100.250\nYour host 198.51.100.250 scanned 192.0.2.200 on 2025-12-18 00:40 UTC.\n';

/** Resolve when `pred` holds (checked every 10 ms), or fail after `ms`. */
export async function waitFor<T>(pred: () => T | undefined | false, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
