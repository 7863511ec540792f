/**
 * Svelte 5 strips TypeScript types itself, so no preprocessor is needed.
 * Runes mode everywhere; svelte-check reads this file too.
 * @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig}
 */
export default {
  compilerOptions: { runes: true },
};
