/**
 * One Content-Security-Policy: electron/common/csp.ts, sent as a header by
 * the app:// protocol handler and by `serve`. No other file declares one (a
 * looser <meta> copy in renderer/index.html had drifted from the header).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/common/csp';
import { repoRoot } from '../../helpers/paths';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|js|mjs|cjs|svelte|html)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('the CSP', () => {
  it('is declared in electron/common/csp.ts only', () => {
    const declaring = ['electron', 'host', 'renderer', 'cli', 'build']
      .flatMap((d) => sources(join(repoRoot, d)))
      .filter((f) => /default-src|http-equiv\s*=\s*["']?Content-Security-Policy/i.test(readFileSync(f, 'utf8')))
      .map((f) => relative(repoRoot, f));
    expect(declaring).toEqual(['electron/common/csp.ts']);
  });

  it('allows scripts and connections from our origin only', () => {
    const csp = contentSecurityPolicy();
    const dir = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(dir['default-src']).toEqual(["'none'"]);
    expect(dir['script-src']).toEqual(["'self'"]);
    expect(dir['connect-src']).toEqual(["'self'"]);
    expect(dir['object-src']).toEqual(["'none'"]);
    expect(dir['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|\*/);
    expect(contentSecurityPolicy({ connect: ['http://127.0.0.1:4000'] })).toContain("connect-src 'self' http://127.0.0.1:4000");
  });
});
