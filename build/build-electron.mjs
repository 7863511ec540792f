// Bundle the Electron processes into dist/electron/ with esbuild:
//   main.cjs    the main process          (CommonJS, `electron` external)
//   preload.cjs the sandboxed preload     (CommonJS: a sandboxed preload cannot load ES modules or other files)
//   engine.cjs  the utility-process engine (CommonJS; also runs under plain `node`)
// Usage: node build/build-electron.mjs [--watch] [--minify] [--outdir DIR]
// --outdir (default dist/electron) lets the tests build into a folder of their
// own run; it must stay inside the repository so the externals resolve from
// node_modules.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outdir');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, 'dist', 'electron');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
mkdirSync(out, { recursive: true });

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // Electron 45 ships Node 22
  sourcemap: 'linked',
  minify,
  logLevel: 'warning',
  legalComments: 'none',
  absWorkingDir: root,
};

const builds = [
  // sqlite3 is native: it loads from node_modules.
  { entryPoints: ['electron/main/main.ts'], outfile: join(out, 'main.cjs'), external: ['electron', 'sqlite3'] },
  { entryPoints: ['electron/preload/preload.ts'], outfile: join(out, 'preload.cjs'), external: ['electron'], platform: 'browser', format: 'cjs', sourcemap: 'inline' },
  { entryPoints: ['electron/engine/main.ts'], outfile: join(out, 'engine.cjs'), external: ['electron', 'sqlite3'] },
];

const started = performance.now();
if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
  console.log('build:electron watching electron/ …');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b, metafile: true })));
  const sizes = results.flatMap((r) => Object.entries(r.metafile.outputs).filter(([f]) => !f.endsWith('.map')).map(([f, o]) => `${basename(f)} ${(o.bytes / 1024).toFixed(0)} KiB`));
  console.log(`build:electron: ${sizes.join(', ')} in ${Math.round(performance.now() - started)} ms`);
}
