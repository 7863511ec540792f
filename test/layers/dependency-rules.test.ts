import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of .dependency-cruiser.cjs on fixtures: one file per
 * forbidden edge must fail with its rule, the allowed edges must pass. The
 * rules are the ones `npm run lint:layers` applies to the real tree.
 */
const root = join(import.meta.dirname, '..', '..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: unknown[] };

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function violations(files: Record<string, string>): Promise<string[]> {
  const { cruise } = await import('dependency-cruiser');
  const dir = tree(files);
  const dirs = [...new Set(Object.keys(files).map((f) => f.split('/')[0]))];
  const result = await cruise(dirs, {
    baseDir: dir, validate: true, ruleSet: { forbidden: config.forbidden } as never, tsPreCompilationDeps: true, exclude: { path: 'node_modules' },
  }, { extensions: ['.ts', '.js'] });
  const out = result.output as { summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> } };
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

const leaf = 'export const x = 1;\n';
const uses = (spec: string) => `import { x } from '${spec}';\nexport const y = x;\n`;

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it('lets every layer import the layers below it', async () => {
    expect(await violations({
      'analysis/a.ts': leaf,
      'store/s.ts': uses('../analysis/a'),
      'services/v.ts': uses('../store/s'),
      'host/h.ts': uses('../services/v'),
      'electron/common/c.ts': leaf,
      'electron/main/m.ts': uses('../../host/h'),
      'cli/k.ts': uses('../host/h'),
      'renderer/r.ts': uses('../electron/common/c'),
    })).toEqual([]);
  });

  it.each([
    ['analysis/a.ts', '../store/s', 'store/s.ts', 'analysis-layer'],
    ['store/s.ts', '../services/v', 'services/v.ts', 'store-layer'],
    ['services/v.ts', '../host/h', 'host/h.ts', 'services-layer'],
    ['host/h.ts', '../electron/main/m', 'electron/main/m.ts', 'host-layer'],
    ['electron/main/m.ts', '../../cli/k', 'cli/k.ts', 'electron-layer'],
    ['cli/k.ts', '../electron/main/m', 'electron/main/m.ts', 'cli-layer'],
    ['renderer/r.ts', '../store/s', 'store/s.ts', 'renderer-layer'],
  ])('fails %s importing %s', async (from, spec, to, rule) => {
    expect(await violations({ [from]: uses(spec), [to]: leaf })).toEqual([`${rule}: ${from} -> ${to}`]);
  });

  it('fails a Node built-in inside analysis/, and a file cycle anywhere', async () => {
    expect(await violations({ 'analysis/a.ts': "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n" })).toEqual(['analysis-pure: analysis/a.ts -> fs']);
    const cycle = await violations({ 'store/a.ts': uses('./b'), 'store/b.ts': uses('./a') });
    expect(cycle.every((v) => v.startsWith('no-circular:'))).toBe(true);
    expect(cycle.length).toBeGreaterThan(0);
  });
});
