import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

/** Builds the renderer into dist/renderer so `serve` hands out the code under test. */
export default async function setup(): Promise<void> {
  const root = process.cwd();
  if (process.env.E2E_SKIP_BUILD !== '1' || !existsSync(join(root, 'dist/renderer/index.html'))) {
    await build({ configFile: join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  }
  if (!existsSync(join(root, 'dist/renderer/index.html'))) throw new Error('the renderer build did not produce dist/renderer/index.html');
}
