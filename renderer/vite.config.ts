import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server injects CSS as <style> elements (hot reload), which the
 * production CSP refuses: relax style-src for `vite` (serve) only. Builds keep
 * the strict policy from index.html.
 */
function devCsp(): Plugin {
  return {
    name: 'abuse-desk-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}

/**
 * The renderer is a static bundle: Electron loads dist/renderer/index.html from
 * disk (hence the relative base) and `abuse-desk serve` hands out the same files.
 * No inline scripts or styles are emitted, so the CSP in index.html needs no
 * 'unsafe-inline'.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [svelte(), devCsp()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Inlined assets would become data: URLs that the CSP does not allow for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
