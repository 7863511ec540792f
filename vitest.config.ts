import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { isolatedTestFiles } from './test/isolated-files';

/**
 * The unit tier (`npm test`): small, fast, no wall-time assertions, under
 * 4 minutes on 2 unloaded cores. Everything under test/ runs in Node, in
 * workers that keep their modules from file to file, except the few files
 * that replace module or process state, which get fresh ones
 * (node-isolated, chosen by test/isolated-files.ts); the renderer's component
 * tests run in jsdom with the Svelte plugin (svelteTesting() adds the
 * browser resolve condition and auto-cleanup).
 * Slow tests live in `*.slow.test.ts` beside the unit tests they extend
 * (`npm run test:slow`, test/slow.vitest.config.ts); end-to-end tests have
 * their own config (test/e2e/vitest.config.ts, `npm run test:e2e`).
 */
const isolated = isolatedTestFiles(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default in run mode is one worker fewer than the cores: on the
    // 2-core CI machine that is one file at a time (231 s); both cores: 161 s.
    maxWorkers: availableParallelism(),
    reporters: ['default', ['./test/reporters/run-summary.ts', { tier: 'unit tier (npm test)', budget: 240 }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          globalSetup: ['./test/global-setup.ts'],
          // A worker keeps the modules it imported from one file to the next (test/isolated-files.ts says
          // why, and which files replace module or process state and so run in node-isolated instead).
          isolate: false,
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/renderer/**', 'test/**/*.slow.test.ts', 'node_modules/**', ...isolated],
        },
      },
      ...(isolated.length ? [{
        extends: true as const,
        test: { name: 'node-isolated', environment: 'node', globalSetup: ['./test/global-setup.ts'], include: isolated },
      }] : []),
      {
        extends: true,
        plugins: [svelte({ configFile: 'renderer/svelte.config.js' }), svelteTesting()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          // One jsdom per worker instead of one per file: building it cost about
          // 1.2 s a file (75 s of the tier's 280 s); the 54 files run in 15 s.
          // Component tests therefore unmount (testing-library's auto-cleanup)
          // and restore any global they replace as configurable properties.
          pool: 'threads',
          isolate: false,
          include: ['test/renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
