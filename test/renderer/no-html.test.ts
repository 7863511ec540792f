import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/common/csp';

/**
 * The lint rule for the renderer: complaint text (and anything derived from
 * it: subjects, excerpts, log lines) is attacker-controlled, so nothing in the
 * renderer may turn a string into markup. Svelte escapes every `{expression}`;
 * these are the ways around that.
 */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\{@html\b/, '{@html} renders a string as markup'],
  [/\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(/, 'DOM HTML sinks'],
  [/createContextualFragment|DOMParser|srcdoc/, 'markup parsing'],
  [/\beval\(|new Function\(/, 'code from strings'],
];

const root = join(process.cwd(), 'renderer');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : files(p);
    // The lint config names the forbidden constructs in order to forbid them.
    if (d.name === 'eslint.config.js') return [];
    return /\.(svelte|ts|js|html)$/.test(d.name) ? [p] : [];
  });
}

describe('renderer source', () => {
  const all = files(root);

  it('has sources to check', () => {
    expect(all.some((f) => f.endsWith('.svelte'))).toBe(true);
  });

  it('never renders strings as HTML', () => {
    const hits: string[] = [];
    for (const f of all) {
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const [re, why] of FORBIDDEN) if (re.test(line)) hits.push(`${relative(process.cwd(), f)}:${i + 1}: ${why}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('keeps inline scripts and styles out of index.html (the CSP forbids them)', () => {
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    // The policy is sent as a header from electron/common/csp.ts; a meta copy would only drift from it.
    expect(html).not.toMatch(/http-equiv=["']?Content-Security-Policy/i);
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp.replace("style-src-attr 'unsafe-inline'", '')).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
  });
});
