/**
 * The CLI bundle (build/build-cli.mjs) and the rule by which bin/abuse-desk.mjs
 * trusts it (build/cli-stamp.mjs). A bundle of this run's sources is built
 * into a folder of its own and must behave like the sources run in this
 * process; the bundle `npm ci` left in dist/cli must be the one the binary
 * runs; and a stamp must notice every kind of change to what it describes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMP_FILE, STAMP_VERSION, staleReason, statEntry } from '../../build/cli-stamp.mjs';
import { casesDir, fixturesDir, repoRoot } from '../helpers/paths';
import { bin, cli } from './cli-runner';

/** Every module URL the child resolves is appended to $LOAD_LOG (module hooks run off the main thread). */
const HOOK = "import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.LOAD_LOG, r.url + '\\n'); return r; }";
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;
/** Runs the bundle's main() with the arguments, as bin/abuse-desk.mjs does. */
const RUNNER = 'const { main } = await import(process.env.BUNDLE_ENTRY); process.exitCode = await main(process.argv.slice(2));\n';

let out: string;
let work: { dir: string; remove: () => void };

/** One command through the built bundle; `loaded` lists the modules it resolved. */
function runBundle(args: string[]): { status: number | null; stdout: string; stderr: string; loaded: string[] } {
  const log = join(work.dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, join(work.dir, 'run.mjs'), ...args], {
    cwd: repoRoot, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20,
    env: { ...process.env, LOAD_LOG: log, BUNDLE_ENTRY: pathToFileURL(join(out, 'abuse-desk.mjs')).href },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** What the loaded modules were made from: bundle chunks through their source maps, anything else as itself. */
function sourcesOf(loaded: string[]): string[] {
  return loaded.flatMap((url) => {
    if (!url.startsWith(pathToFileURL(out).href)) return [url];
    const map = `${new URL(url).pathname}.map`;
    return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
  });
}

beforeAll(() => {
  // Inside the repository so the externals resolve from node_modules; the test setup sweeps forgotten .test-build- folders.
  mkdirSync(join(repoRoot, 'dist'), { recursive: true });
  const root = mkdtempSync(join(repoRoot, 'dist', '.test-build-cli-'));
  work = { dir: root, remove: () => rmSync(root, { recursive: true, force: true }) };
  out = join(root, 'cli');
  writeFileSync(join(root, 'run.mjs'), RUNNER);
  execFileSync(process.execPath, [join(repoRoot, 'build', 'build-cli.mjs'), '--outdir', out], { cwd: repoRoot, stdio: 'pipe' });
});

afterAll(() => work?.remove());

describe('the CLI bundle', () => {
  it('answers --help with the text of the CLI run from the sources, loading no command', async () => {
    const sources = await cli(['--help']);
    const bundled = runBundle(['--help']);
    expect(bundled.stderr).toBe('');
    expect({ status: bundled.status, stdout: bundled.stdout }).toEqual({ status: sources.status, stdout: sources.stdout });
    expect(bundled.stdout).toMatch(/^abuse-desk: evidence-backed answers/);
    const from = sourcesOf(bundled.loaded);
    expect(from).toContain('cli/main.ts');
    for (const heavy of [/node_modules\/(sqlite3|mailparser|imapflow)\//, /^sqlite3$|\/sqlite3\//, /^analysis\//, /^store\//]) {
      expect(from.filter((s) => heavy.test(s))).toEqual([]);
    }
  });

  it('analyses an example case as the sources do, without loading mailparser or the store', async () => {
    const dir = join(casesDir, 'seed001-nat-legit');
    const args = ['analyze', '--json', '--complaint', join(dir, 'complaint.txt'), '--evidence', join(dir, 'mirror.pcap')];
    const sources = await cli(args);
    const bundled = runBundle(args);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(sources.stdout));
    expect(JSON.parse(bundled.stdout).verdict).toBe('legitimate');
    const from = sourcesOf(bundled.loaded);
    expect(from).toContain('analysis/pipeline.ts');
    expect(from.filter((s) => /node_modules\/(mailparser|imapflow)\/|sqlite3|^store\//.test(s))).toEqual([]);
  });

  it('reads a mail complaint as the sources do (mailparser loaded on first use)', async () => {
    const args = ['analyze', '--json', '--complaint', join(fixturesDir, 'complaints', 'cet-portscan.eml'), '--our-net', '198.51.100.0/24'];
    const sources = await cli(args);
    const bundled = runBundle(args);
    expect(bundled.status, bundled.stderr).toBe(0);
    const result = JSON.parse(bundled.stdout) as { complaint: { subject?: string } };
    expect(result).toEqual(JSON.parse(sources.stdout));
    expect(result.complaint.subject).toBeTruthy();
    expect(sourcesOf(bundled.loaded).some((s) => s.includes('node_modules/mailparser/'))).toBe(true);
  });

  // encoding-japanese and html-to-text are stand-ins in the bundle that load the real package on first call
  // (build/lazy-dependencies.mjs). The ISO-2022-JP mail calls the first; the HTML-only one would call the
  // second, were the parse not told to skip HTML-to-text (analysis/complaint/mail.ts).
  it.each([
    ['an ISO-2022-JP mail', 'iso-2022-jp.eml', /不正アクセスの報告 198\.51\.100\.61/],
    ['an HTML-only mail', 'hostile-html.eml', /198\.51\.100\.44/],
  ])('reads %s as the sources do', async (_, name, subject) => {
    const args = ['analyze', '--json', '--complaint', join(fixturesDir, 'complaints', name), '--our-net', '198.51.100.0/24'];
    const sources = await cli(args);
    const bundled = runBundle(args);
    expect(bundled.status, bundled.stderr).toBe(0);
    const result = JSON.parse(bundled.stdout) as { complaint: { subject?: string; accused?: string[] } };
    expect(result).toEqual(JSON.parse(sources.stdout));
    expect(result.complaint.subject).toMatch(subject);
  });
});

describe('the bundle npm ci leaves in dist/cli', () => {
  const installed = join(repoRoot, 'dist', 'cli');

  it('is there, and bin/abuse-desk.mjs runs it while it matches the sources', async (ctx) => {
    expect(existsSync(join(installed, STAMP_FILE)), `no CLI bundle in ${installed}: postinstall (npm ci) or "npm run build:cli" builds it`).toBe(true);
    const why = staleReason(repoRoot, installed);
    if (why !== null) {
      // In CI nothing edits the checkout after npm ci, so a stale bundle there is a broken build.
      if (process.env.CI) expect.fail(`the bundle npm ci built is already stale: ${why}`);
      ctx.skip(`sources changed since the bundle was built (${why}); "npm run build:cli" rebuilds it`);
    }
    const r = spawnSync(process.execPath, [bin, '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ABUSE_DESK_DEBUG: '1' } });
    // ABUSE_DESK_DEBUG makes the binary say so when it falls back to tsx.
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe((await cli(['--help'])).stdout);
  });
});

describe('staleReason: when the binary stops trusting a bundle', () => {
  let tree: { dir: string; remove: () => void };
  let src: string;
  let outDir: string;

  /** A stamp of a.ts and b.ts in src/, as the build writes it. */
  function stampNow(): void {
    const paths: Record<string, [number, number] | null> = {
      'src/a.ts': statEntry(join(src, 'a.ts')),
      'src/b.ts': statEntry(join(src, 'b.ts')),
      'src': statEntry(src),
      'package.json': statEntry(join(tree.dir, 'package.json')),
      'node_modules/.package-lock.json': null,
    };
    writeFileSync(join(outDir, STAMP_FILE), JSON.stringify({ version: STAMP_VERSION, entries: ['abuse-desk.mjs'], outputs: ['abuse-desk.mjs'], dirs: ['src'], paths }));
  }

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-stamp-'));
    tree = { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
    src = join(tree.dir, 'src');
    outDir = join(tree.dir, 'out');
    mkdirSync(src);
    mkdirSync(outDir);
  });
  afterAll(() => tree.remove());

  const fresh = (): void => {
    writeFileSync(join(src, 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(src, 'b.ts'), 'export const b = 2;\n');
    writeFileSync(join(tree.dir, 'package.json'), '{}\n');
    writeFileSync(join(outDir, 'abuse-desk.mjs'), '');
    for (const f of ['c.ts', 'node_modules']) rmSync(join(src, f), { recursive: true, force: true });
    rmSync(join(tree.dir, 'node_modules'), { recursive: true, force: true });
    stampNow();
    // File times advance in clock ticks (a few ms): a change made in the same tick as the stamp would keep its mtime.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
  };

  it('trusts an untouched bundle', () => {
    fresh();
    expect(staleReason(tree.dir, outDir)).toBeNull();
  });

  it('refuses it when a source is edited, even to the same size', () => {
    fresh();
    writeFileSync(join(src, 'a.ts'), 'export const a = 7;\n');
    expect(staleReason(tree.dir, outDir)).toMatch(/src\/a\.ts changed/);
  });

  it('refuses it when a file is added beside the sources or one is removed', () => {
    fresh();
    writeFileSync(join(src, 'c.ts'), '');
    expect(staleReason(tree.dir, outDir)).toMatch(/^src changed/);
    fresh();
    unlinkSync(join(src, 'b.ts'));
    expect(staleReason(tree.dir, outDir)).toMatch(/src\/b\.ts was removed/);
  });

  it('refuses it after npm changed the dependencies, or package.json changed', () => {
    fresh();
    mkdirSync(join(tree.dir, 'node_modules'));
    writeFileSync(join(tree.dir, 'node_modules', '.package-lock.json'), '{}');
    expect(staleReason(tree.dir, outDir)).toMatch(/node_modules\/\.package-lock\.json appeared/);
    fresh();
    appendFileSync(join(tree.dir, 'package.json'), ' ');
    expect(staleReason(tree.dir, outDir)).toMatch(/package\.json changed/);
  });

  it('refuses a half-built or missing bundle', () => {
    fresh();
    unlinkSync(join(outDir, 'abuse-desk.mjs'));
    expect(staleReason(tree.dir, outDir)).toMatch(/abuse-desk\.mjs is missing/);
    fresh();
    unlinkSync(join(outDir, STAMP_FILE));
    expect(staleReason(tree.dir, outDir)).toMatch(/no stamp\.json/);
  });
});
