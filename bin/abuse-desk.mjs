#!/usr/bin/env node
// The `abuse-desk` command. It runs the bundle in dist/cli/ (build/build-cli.mjs,
// made by `npm ci`/`npm install` through postinstall and by `npm run build`)
// when that bundle is the current code, else the TypeScript sources through tsx.
//
// The rule, so that development never silently runs stale code: the bundle
// runs only when dist/cli/stamp.json exists and every path it lists still
// has the mtime and size stat gave just before the build read it. Those
// paths are every source file the build bundled, the folders holding them
// (a file added or removed there changes the folder's mtime), package.json,
// tsconfig.json, the build scripts and node_modules/.package-lock.json
// (which npm rewrites whenever it changes a dependency). So an edit, a new
// or deleted file, a branch switch or an `npm install` makes the next start
// use tsx until the bundle is built again (`npm run build:cli`). A file saved
// while the build runs is caught too: its mtime is newer than the one stamped.
// Not caught, by design: a file changed with its mtime and size put back by
// hand, and a package edited inside node_modules without npm.
//
// The check costs one stat per stamped path (~170, a few ms), no walk of the
// tree. ABUSE_DESK_DEBUG=1 prints, on stderr, why a start fell back to tsx;
// ABUSE_DESK_NO_BUNDLE=1 forces the sources (to compare the two). Tests that
// run the CLI in-process (cli/run-cli.ts) always use the sources. Stack
// traces from the bundle point into dist/cli/; NODE_OPTIONS=--enable-source-maps
// maps them back to the .ts files.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { staleReason } from '../build/cli-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = join(root, 'dist', 'cli');
const why = process.env.ABUSE_DESK_NO_BUNDLE ? 'ABUSE_DESK_NO_BUNDLE is set' : staleReason(root, bundleDir);

let main;
if (why === null) {
  ({ main } = await import(pathToFileURL(join(bundleDir, 'abuse-desk.mjs')).href));
} else {
  if (process.env.ABUSE_DESK_DEBUG) process.stderr.write(`abuse-desk: running the sources through tsx: ${why} (npm run build:cli bundles them again)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
