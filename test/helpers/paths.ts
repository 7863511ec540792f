import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared beside the checkout (CI places it there too). */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const corpusDir = join(sharedDir, 'corpus');
export const casesDir = join(sharedDir, 'cases');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/** Files under `dir` (recursively) whose name matches `re`. */
export function filesIn(dir: string, re: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesIn(p, re));
    else if (re.test(e.name)) out.push(p);
  }
  return out.sort();
}
