import { defineConfig } from 'vitest/config';

/**
 * The slow tier (`npm run test:slow`, run by .ci/run after `npm test`): the
 * full differential against tshark and argus on every corpus capture, store
 * crash rounds, long fuzz runs, big captures, real servers. Files are named
 * `*.slow.test.ts` and sit beside the unit tests of the same source.
 */
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    name: 'slow',
    environment: 'node',
    include: ['test/**/*.slow.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default', ['./test/reporters/run-summary.ts', { tier: 'slow tier (npm run test:slow)' }]],
  },
});
