import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the built renderer served by `abuse-desk serve`, driven in
 * Debian's Chromium by playwright-core. Separate from `npm test` because they
 * need the serve command, a browser and a fresh build (global-setup.ts builds
 * the renderer). Run with `npm run test:e2e`.
 */
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // One browser and one server per file; files run one after another to keep timings honest.
    fileParallelism: false,
  },
});
