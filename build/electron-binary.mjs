// Where the Electron binary is, found without loading the `electron` package
// (its index.js, and `require('electron')` from Node, start a download when
// the binary is missing). Returns undefined when there is none.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(root) {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined; // electron is not installed at all
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined; // installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1
  const rel = readFileSync(pathFile, 'utf8').trim();
  const bin = override ? join(override, rel) : join(pkgDir, 'dist', rel);
  return existsSync(bin) ? bin : undefined;
}
