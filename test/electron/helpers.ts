import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { casesDir, repoRoot } from '../helpers/paths';

export const synfloodCase = join(casesDir, 'seed001-synflood-backscatter');

/** A temp folder removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * This run's bundles (test/global-setup.ts), given `inject('electronDist')`:
 * the setup builds only when a test file of the run says that.
 */
export function builtElectron(injected: string | undefined): string {
  if (!injected) throw new Error("no Electron bundles: test/global-setup.ts builds them for files that call inject('electronDist'); run this file with the node project's config (vitest.config.ts)");
  return injected;
}

const BUNDLES = ['main.cjs', 'preload.cjs', 'engine.cjs'];

/**
 * An app folder laid out like the packaged app: package.json, electron/ with
 * copies of this run's bundles, and the path of renderer/ beside it (main
 * looks for the renderer at electron/../renderer) for the caller to create. Under
 * dist/ so the bundles' externals resolve from node_modules; the global
 * setup's stale-folder sweep also covers it (same prefix).
 */
export function appFolder(electronDist: string): { dir: string; main: string; renderer: string; remove: () => void } {
  mkdirSync(join(repoRoot, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, 'dist', '.test-build-app-'));
  mkdirSync(join(dir, 'electron'));
  for (const f of BUNDLES) copyFileSync(join(electronDist, f), join(dir, 'electron', f));
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, main: 'electron/main.cjs' }));
  const renderer = join(dir, 'renderer');
  return { dir, main: join(dir, 'electron', 'main.cjs'), renderer, remove: () => rmSync(dir, { recursive: true, force: true }) };
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
