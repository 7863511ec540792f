// Bundle the command line and the engine child it forks (`serve`) into
// dist/cli/ with esbuild, so that a run starts without compiling TypeScript:
//   abuse-desk.mjs  exports main() of cli/main.ts       (ESM for node)
//   engine.mjs      the engine child, electron/engine/main.ts
//   part-worker.mjs the evidence worker thread, services/io/part-worker.ts
//   frame-worker.mjs the thread that frames a large classic pcap, services/io/frame-worker.ts
//   chunks/         code both share, and each command's code: cli/main.ts
//                   imports a command when it runs, so `--help` loads a few
//                   KiB instead of parsing megabytes
//   stamp.json      what they were built from (build/cli-stamp.mjs), checked
//                   by bin/abuse-desk.mjs at every start
// The native package (sqlite3) and electron stay external and load from
// node_modules.
//
// A rebuild writes in place in an order that keeps every start consistent:
// new chunks (content-hashed names, so they never overwrite a different
// file), then the entries, then the stamp, each by rename. It keeps the
// previous build's chunks, because a long-running `serve` started from that
// build may still import one later (imapflow is loaded on first use), and
// deletes older ones.
//
// Runs from `postinstall` (so `npm ci` leaves a fresh bundle) and from
// `npm run build`. Usage: node build/build-cli.mjs [--outdir DIR]
// (default dist/cli; it must stay inside the repository so the externals
// resolve from node_modules). Without esbuild (an install that omitted dev
// dependencies) it says so and exits 0: the CLI then runs through tsx.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP_FILE, STAMP_VERSION, statEntry } from './cli-stamp.mjs';
import { lazyDependencies } from './lazy-dependencies.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outdir');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, 'dist', 'cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (e) {
  if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  console.log('build:cli: esbuild is not installed (dev dependencies omitted?), so abuse-desk will run its TypeScript through tsx');
  process.exit(0);
}

/** Files besides the bundled sources whose change makes the bundle another one. */
const CONFIG_FILES = ['package.json', 'tsconfig.json', 'build/build-cli.mjs', 'build/cli-stamp.mjs', 'build/lazy-dependencies.mjs', 'node_modules/.package-lock.json'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'test', 'bench', 'renderer']);
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };

/** mtimes of the repository's source folders before the build resolves anything in them. */
function folderStamps(dir, acc = new Map()) {
  acc.set(dir, statEntry(dir));
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith('.') && !(dir === root && SKIP_DIRS.has(e.name))) folderStamps(join(dir, e.name), acc);
  }
  return acc;
}

const rel = (p) => relative(root, p).split(sep).join('/');

/**
 * Load our own sources after a stat, and remember that stat: the stamp then
 * describes the content the bundle holds, even if a file is saved mid-build.
 */
function stampingLoader(paths) {
  return {
    name: 'stamp-sources',
    setup(build) {
      build.onLoad({ filter: /\.(c|m)?(t|j)s$|\.json$/, namespace: 'file' }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        paths.set(rel(args.path), statEntry(args.path));
        return { contents: readFileSync(args.path), loader: LOADERS[extname(args.path)] };
      });
    },
  };
}

/** Write `data` to `path` by rename, so a reader sees the old file or the new one, never half of one. */
function replaceFile(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The output files of the build before this one, from its stamp (kept for processes it started). */
function previousOutputs() {
  try {
    return JSON.parse(readFileSync(join(out, STAMP_FILE), 'utf8')).outputs ?? [];
  } catch {
    return [];
  }
}

/** Files under `dir`, relative to `out`. */
function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [rel2(join(dir, e.name))]));
}
const rel2 = (p) => relative(out, p).split(sep).join('/');

const started = performance.now();
const paths = new Map(CONFIG_FILES.map((f) => [f, statEntry(join(root, f))]));
const folders = folderStamps(root);
let result;
try {
  result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { 'abuse-desk': 'cli/main.ts', engine: 'electron/engine/main.ts', 'part-worker': 'services/io/part-worker.ts', 'frame-worker': 'services/io/frame-worker.ts' },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['sqlite3', 'electron'],
    // Bundled CommonJS packages (mailparser, luxon, ...) call require() for Node's built-ins.
    banner: { js: "import { createRequire as __abuseDeskRequire } from 'node:module'; const require = __abuseDeskRequire(import.meta.url);" },
    define: { ABUSE_DESK_CLI_BUNDLE: 'true' },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
    plugins: [stampingLoader(paths), lazyDependencies()],
  });
} catch (e) {
  console.error(`build:cli failed: ${e.message}`);
  process.exit(1);
}

const entries = ['abuse-desk.mjs', 'engine.mjs', 'part-worker.mjs', 'frame-worker.mjs'];
const files = result.outputFiles.map((f) => ({ name: rel2(f.path), contents: f.contents }));
const keep = new Set([...files.map((f) => f.name), ...previousOutputs(), STAMP_FILE]);
// Chunks first, entries next, the stamp last: whoever reads a stamp finds everything it names.
const order = (f) => (f.name.startsWith('chunks/') ? 0 : 1);
for (const f of [...files].sort((a, b) => order(a) - order(b))) {
  mkdirSync(dirname(join(out, f.name)), { recursive: true });
  replaceFile(join(out, f.name), f.contents);
}
const dirs = [...new Set([...paths.keys()].filter((p) => !CONFIG_FILES.includes(p)).map((p) => dirname(join(root, p))))];
for (const d of dirs) paths.set(rel(d), folders.get(d) ?? statEntry(d));
const stamp = {
  version: STAMP_VERSION,
  builtAt: new Date().toISOString(),
  entries,
  outputs: files.map((f) => f.name),
  dirs: dirs.map(rel),
  paths: Object.fromEntries(paths),
};
replaceFile(join(out, STAMP_FILE), `${JSON.stringify(stamp, null, 1)}\n`);
for (const f of listFiles(out)) if (!keep.has(f)) rmSync(join(out, f), { force: true });

const kib = (names) => (files.filter((f) => names(f.name)).reduce((n, f) => n + f.contents.length, 0) / 1024).toFixed(0);
console.log(`build:cli: ${entries.map((e) => `${e} ${kib((n) => n === e)} KiB`).join(', ')}, chunks ${kib((n) => n.startsWith('chunks/') && n.endsWith('.mjs'))} KiB; `
  + `${paths.size - dirs.length} files and ${dirs.length} folders stamped; ${Math.round(performance.now() - started)} ms`);
