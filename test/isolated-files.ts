/**
 * Which unit-tier test files need a fresh module registry of their own
 * (vitest's `isolate`), decided from what they contain. The node project runs
 * the others in workers that keep their modules between files: importing the
 * same modules again for every file was 109 s of the tier's 268 s on a busy
 * 2-core host, the whole node project 97 s without it.
 *
 * A file needs isolation when it replaces something the next file in the
 * same worker would see: a mocked module (vi.mock, vi.doMock), a stubbed
 * global or environment variable, a spy, fake timers, an environment
 * variable set by hand, or the working folder. The test of this file checks
 * the rule against every test file, so a new one that mocks is isolated
 * without anyone listing it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SHARED_STATE = [
  /\bvi\.(mock|doMock|stubGlobal|stubEnv|spyOn|useFakeTimers)\(/,
  /\bprocess\.env(\.[A-Za-z_$][\w$]*|\[[^\]]+\])\s*=[^=]/,
  /\bdelete\s+process\.env\b/,
  /\bprocess\.chdir\(/,
];

/** The file's text replaces module or process state another file would see. */
export function needsIsolation(source: string): boolean {
  return SHARED_STATE.some((re) => re.test(source));
}

/** Unit-tier test files under `root`/test (renderer, e2e and slow tiers excluded) that need isolation, relative to `root`. */
export function isolatedTestFiles(root: string): string[] {
  const testDir = join(root, 'test');
  return readdirSync(testDir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(testDir, f))
    .filter((f) => f.endsWith('.test.ts') && !f.endsWith('.slow.test.ts'))
    .map((f) => relative(root, f).split(sep).join('/'))
    .filter((f) => !f.startsWith('test/renderer/') && !f.startsWith('test/e2e/'))
    .filter((f) => needsIsolation(readFileSync(join(root, f), 'utf8')))
    .sort();
}
