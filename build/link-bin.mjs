// npm links the bins of dependencies into node_modules/.bin but not the
// project's own; link ours so `npx --no-install abuse-desk` and tools that
// look in node_modules/.bin find it after a plain `npm ci`.
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'bin', 'abuse-desk.mjs');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'abuse-desk');
if (existsSync(join(root, 'node_modules'))) {
  mkdirSync(binDir, { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(relative(binDir, target), link);
  chmodSync(target, 0o755);
}
