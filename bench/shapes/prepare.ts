import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Generated, Shape } from './shape';
import { slicePcap } from './slice';

/**
 * A shape's capture on disk, generated once and reused: `<id>-<MiB>M.pcap`
 * with its complaint, its 1% slice and a meta file in the bench data folder.
 * The meta file is written last, so an interrupted generation is redone; it
 * records the generator version and target size, and the files' sizes, so a
 * changed generator or a truncated file is never reused.
 */
export interface Prepared {
  shape: Shape;
  pcap: string;
  slice: string;
  complaint: string;
  meta: Meta;
  reused: boolean;
}

export interface Meta extends Omit<Generated, 'complaint'> {
  version: number;
  targetBytes: number;
  slice: { first: number; count: number; bytes: number };
  generateSeconds: number;
}

/** The slice holds this share of the capture's packets. */
export const SLICE_SHARE = 0.01;

export function prepareShape(shape: Shape, targetBytes: number, dir: string, regenerate: boolean, log: (s: string) => void): Prepared {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${shape.id}-${Math.round(targetBytes / 1048576)}M`);
  const pcap = `${base}.pcap`;
  const slice = `${base}.slice.pcap`;
  const complaint = `${base}.complaint.txt`;
  const metaPath = `${base}.json`;
  if (!regenerate && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
    const sizeIs = (p: string, n: number): boolean => existsSync(p) && statSync(p).size === n;
    if (meta.version === shape.version && meta.targetBytes === targetBytes && sizeIs(pcap, meta.bytes) && sizeIs(slice, meta.slice.bytes) && existsSync(complaint)) {
      log(`${shape.id}: reusing ${pcap} (${mib(meta.bytes)} MiB, ${meta.packets.toLocaleString('en-US')} packets)`);
      return { shape, pcap, slice, complaint, meta, reused: true };
    }
  }
  rmSync(metaPath, { force: true });
  log(`${shape.id}: writing ${pcap} (${mib(targetBytes)} MiB of ${shape.title}) ...`);
  const t0 = performance.now();
  let next = 0;
  const tmp = `${pcap}.partial`;
  const g = shape.generate(tmp, targetBytes, (bytes) => {
    if (bytes >= next && process.stdout.isTTY) { process.stdout.write(`\r  ${mib(bytes)} MiB`); next = bytes + (64 << 20); }
  });
  renameSync(tmp, pcap);
  const count = Math.max(1, Math.ceil(g.packets * SLICE_SHARE));
  const first = Math.min(g.mark.packet, Math.max(0, g.packets - count));
  const cut = slicePcap(pcap, slice, first, count);
  writeFileSync(complaint, g.complaint);
  const { complaint: _text, ...rest } = g;
  const meta: Meta = {
    ...rest, version: shape.version, targetBytes,
    slice: { first, count: cut.packets, bytes: cut.bytes },
    generateSeconds: Math.round((performance.now() - t0) / 100) / 10,
  };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  if (process.stdout.isTTY) process.stdout.write('\r');
  log(`${shape.id}: ${mib(g.bytes)} MiB, ${g.packets.toLocaleString('en-US')} packets in ${meta.generateSeconds} s; slice: packets ${first}-${first + cut.packets - 1}`);
  return { shape, pcap, slice, complaint, meta, reused: false };
}

export const mib = (n: number): string => (n / 1048576).toFixed(0);
