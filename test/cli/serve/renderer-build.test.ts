import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRenderer, rendererIndex, type Runner } from '../../../cli/serve/renderer-build';

/**
 * serve on a checkout without dist/renderer builds it first (what npm ci
 * leaves: the CLI bundle, no renderer), or says what to run. The real build
 * is in renderer-build.slow.test.ts.
 */
const roots: string[] = [];
afterEach(() => { for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true }); });

function root(files: string[]): string {
  const r = mkdtempSync(join(tmpdir(), 'ad-renderer-'));
  roots.push(r);
  for (const f of files) {
    mkdirSync(dirname(join(r, f)), { recursive: true });
    writeFileSync(join(r, f), '');
  }
  return r;
}

const SOURCES = ['renderer/vite.config.ts', 'node_modules/vite/bin/vite.js'];

describe('ensureRenderer', () => {
  it('a built renderer is served as it is', async () => {
    const r = root([...SOURCES, 'dist/renderer/index.html']);
    const calls: string[][] = [];
    expect(await ensureRenderer(r, () => undefined, async (_c, args) => { calls.push(args); return 0; })).toBe('ready');
    expect(calls).toEqual([]);
  });

  it('a fresh checkout: builds with the package\'s vite and its config, in the package folder, and says so', async () => {
    const r = root(SOURCES);
    const said: string[] = [];
    let ran: { cmd: string; args: string[]; cwd: string } | undefined;
    const run: Runner = async (cmd, args, cwd) => {
      ran = { cmd, args, cwd };
      mkdirSync(dirname(rendererIndex(r)), { recursive: true });
      writeFileSync(rendererIndex(r), '<!doctype html>');
      return 0;
    };
    expect(await ensureRenderer(r, (l) => said.push(l), run)).toBe('built');
    expect(ran).toEqual({ cmd: process.execPath, args: [join(r, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(r, 'renderer/vite.config.ts'), '--logLevel', 'warn'], cwd: r });
    expect(said.join('\n')).toMatch(/not built yet; building it now/);
  });

  it('a failed build, or no vite, says what to run', async () => {
    const failed: string[] = [];
    expect(await ensureRenderer(root(SOURCES), (l) => failed.push(l), async () => 1)).toBe('failed');
    expect(failed.at(-1)).toMatch(/building the renderer failed \(exit 1\); run npm run build:renderer in /);
    const noVite: string[] = [];
    const r = root(['renderer/vite.config.ts']);
    expect(await ensureRenderer(r, (l) => noVite.push(l), async () => 0)).toBe('unavailable');
    expect(noVite[0]).toMatch(/vite is not installed: run npm ci in .*; in the source folder run: npm run build:renderer$/);
  });
});
