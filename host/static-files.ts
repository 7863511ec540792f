/**
 * Map a request path to a file under the built renderer, refusing anything
 * that would leave it (.., encoded slashes, NUL, absolute tricks). No
 * Electron import: the app's protocol handler and `serve` share it.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { MIME_TYPES } from '../electron/common/csp';

export interface StaticFile {
  path: string;
  mime: string;
  size: number;
}

export function resolveStatic(root: string, urlPath: string): StaticFile | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded === '' || decoded.endsWith('/')) decoded += 'index.html';
  const base = resolve(root);
  const full = resolve(base, `.${normalize(`/${decoded}`)}`);
  if (full !== base && !full.startsWith(base + sep)) return undefined;
  if (!existsSync(full)) return undefined;
  const st = statSync(full);
  if (!st.isFile()) return undefined;
  return { path: full, mime: MIME_TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream', size: st.size };
}

/** dist/renderer next to dist/electron. */
export function rendererDir(distElectronDir: string): string {
  return join(distElectronDir, '..', 'renderer');
}
