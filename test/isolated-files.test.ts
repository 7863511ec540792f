import { describe, expect, it } from 'vitest';
import { isolatedTestFiles, needsIsolation } from './isolated-files';
import { repoRoot } from './helpers/paths';

describe('which unit test files get a module registry of their own', () => {
  it.each([
    ["vi.mock('node:os', () => ({}));"],
    ['vi.doMock("../x", () => ({}));'],
    ["vi.stubEnv('TZ', 'UTC');"],
    ["vi.spyOn(console, 'error');"],
    ['vi.useFakeTimers();'],
    ["process.env.PATH = '/nonexistent';"],
    ['process.env[key] = value;'],
    ['delete process.env.DISPLAY;'],
    ["process.chdir('/tmp');"],
  ])('%s replaces state the next file would see', (line) => {
    expect(needsIsolation(`import { vi } from 'vitest';\n${line}\n`)).toBe(true);
  });

  it.each([
    ["if (process.env.CI === 'true') skip();"],
    ['const path = process.env.PATH;'],
    ["spawnSync(bin, args, { env: { ...process.env, LOAD_LOG: log } });"],
    ['const mocked = vi.fn();'],
  ])('%s does not', (line) => {
    expect(needsIsolation(`${line}\n`)).toBe(false);
  });

  it('isolates the files that mock a module (they failed when run after others in one worker), and no renderer or slow test', () => {
    const files = isolatedTestFiles(repoRoot);
    expect(files).toEqual(expect.arrayContaining(['test/services/intake/poison.test.ts', 'test/services/io/parallel-defaults.test.ts']));
    expect(files.filter((f) => f.startsWith('test/renderer/') || f.startsWith('test/e2e/') || f.endsWith('.slow.test.ts'))).toEqual([]);
  });
});
