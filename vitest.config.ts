import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: everything under test/ runs in Node as before; the renderer's
 * component tests run in jsdom with the Svelte plugin (svelteTesting() adds
 * the browser resolve condition and auto-cleanup). End-to-end tests have their
 * own config (test/e2e/vitest.config.ts, `npm run test:e2e`).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/renderer/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        plugins: [svelte({ configFile: 'renderer/svelte.config.js' }), svelteTesting()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
