/**
 * `abuse-desk serve` on a fresh checkout: `npm ci` builds the CLI bundle
 * (postinstall) but not the renderer, which takes a vite build, so the first
 * serve used to answer every page with "The renderer is not built". When
 * dist/renderer is missing and the sources and vite are here, serve builds it
 * before it listens; when they are not (an installed package without dev
 * dependencies), it says what to run instead of serving a page that cannot work.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type RendererState = 'ready' | 'built' | 'unavailable' | 'failed';

/** Runs a command in `cwd`, its output on our stderr; resolves to its exit code. */
export type Runner = (cmd: string, args: string[], cwd: string) => Promise<number>;

const runChild: Runner = (cmd, args, cwd) => new Promise((resolve) => {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', process.stderr, process.stderr] });
  child.on('error', () => resolve(127));
  child.on('exit', (code) => resolve(code ?? 1));
});

/** The built page serve hands out. */
export function rendererIndex(root: string): string {
  return join(root, 'dist', 'renderer', 'index.html');
}

/**
 * Make sure dist/renderer holds a build: nothing to do when it does; else
 * build it with the package's own vite (as `npm run build:renderer` does),
 * telling `say` what is happening and, when it cannot be done, what to run.
 */
export async function ensureRenderer(root: string, say: (line: string) => void, run: Runner = runChild): Promise<RendererState> {
  if (existsSync(rendererIndex(root))) return 'ready';
  const config = join(root, 'renderer', 'vite.config.ts');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(config) || !existsSync(vite)) {
    say(`abuse-desk serve: the renderer is not built (no ${rendererIndex(root)}) and cannot be built here`
      + `${existsSync(config) ? ' (vite is not installed: run npm ci in ' + root + ')' : ''}; in the source folder run: npm run build:renderer`);
    return 'unavailable';
  }
  say('abuse-desk serve: the renderer is not built yet; building it now (npm run build:renderer), once…');
  const code = await run(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], root);
  if (code === 0 && existsSync(rendererIndex(root))) return 'built';
  say(`abuse-desk serve: building the renderer failed (exit ${code}); run npm run build:renderer in ${root} to see why`);
  return 'failed';
}
