import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';
import base from '../eslint.config.js';

/**
 * The project's rules plus Svelte's, for the renderer (`npm run lint:renderer`).
 * The one that matters most: complaint text is attacker-controlled, so
 * `{@html}` is an error everywhere (test/renderer/no-html.test.ts checks the
 * same, plus the DOM's HTML sinks).
 */
export default tseslint.config(
  ...base,
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.ts'],
    rules: {
      'svelte/no-at-html-tags': 'error',
      'svelte/no-target-blank': 'error',
      'svelte/button-has-type': 'error',
      'svelte/require-each-key': 'error',
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'never turn strings into markup in the renderer' },
        { property: 'outerHTML', message: 'never turn strings into markup in the renderer' },
        { property: 'insertAdjacentHTML', message: 'never turn strings into markup in the renderer' },
      ],
    },
  },
);
