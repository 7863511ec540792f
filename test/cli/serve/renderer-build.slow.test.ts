import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureRenderer, rendererIndex } from '../../../cli/serve/renderer-build';
import { repoRoot } from '../../helpers/paths';

/**
 * The real first-serve build: a copy of the checkout as `npm ci` leaves it
 * (sources and node_modules, no dist/renderer) gets a renderer that loads.
 * The renderer folder is copied (vite writes next to its config's real
 * path); everything else is linked.
 */
const root = mkdtempSync(join(tmpdir(), 'ad-fresh-checkout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('serve on a fresh checkout', () => {
  it('builds dist/renderer before serving', async () => {
    for (const e of readdirSync(repoRoot)) {
      if (e === 'dist' || e === '.git') continue;
      if (e === 'renderer') cpSync(join(repoRoot, e), join(root, e), { recursive: true });
      else symlinkSync(join(repoRoot, e), join(root, e));
    }
    expect(existsSync(rendererIndex(root))).toBe(false);
    const said: string[] = [];
    expect(await ensureRenderer(root, (l) => said.push(l))).toBe('built');
    const html = readFileSync(rendererIndex(root), 'utf8');
    const script = /<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(html);
    expect(script, html).not.toBeNull();
    expect(existsSync(join(root, 'dist', 'renderer', script![1]))).toBe(true);
    // The next start has nothing to do.
    expect(await ensureRenderer(root, (l) => said.push(l))).toBe('ready');
  }, 180_000);
});
