/**
 * Global setup of the node project: bundle the Electron processes once per
 * run (build/build-electron.mjs) for the test files that load the bundles,
 * which read the folder with `inject('electronDist')`.
 *
 * The bundles go into a folder of this run (dist/.test-build-XXXXXX/electron),
 * not dist/electron: test files in parallel workers, or two runs in one
 * checkout, then never write or half-read the same files. The folder sits
 * inside the repository so the bundles' externals (sqlite3)
 * resolve from node_modules.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from './helpers/paths';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding main.cjs, preload.cjs and engine.cjs of this run. */
    electronDist: string;
  }
}

/** What a test file says to get the bundles: the marker this setup looks for. */
const MARKER = "inject('electronDist')";
const PREFIX = '.test-build-';
const DAY_MS = 86_400_000;

/**
 * The test files of this run that use the bundles. A run of a few files
 * (`vitest run path...`) builds only when one of them does; the file filters
 * are the Vitest instance's `filenamePattern` (not public API: when it is
 * missing, every file of the project counts and the build runs).
 */
async function filesNeedingBuild(project: TestProject): Promise<string[]> {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.filter((f) => readFileSync(f, 'utf8').includes(MARKER));
}

/** Build folders left by runs that were killed before their teardown. */
function removeStale(dist: string): void {
  for (const name of readdirSync(dist)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(dist, name);
    if (Date.now() - statSync(dir).mtimeMs > DAY_MS) rmSync(dir, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (!(await filesNeedingBuild(project)).length) return undefined;
  const dist = join(repoRoot, 'dist');
  mkdirSync(dist, { recursive: true });
  removeStale(dist);
  const root = mkdtempSync(join(dist, PREFIX));
  const out = join(root, 'electron');
  try {
    execFileSync(process.execPath, [join(repoRoot, 'build', 'build-electron.mjs'), '--outdir', out], { cwd: repoRoot, stdio: 'pipe' });
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`build/build-electron.mjs failed: ${err.stderr?.toString() || err.message}`);
  }
  project.provide('electronDist', out);
  return () => rmSync(root, { recursive: true, force: true });
}
