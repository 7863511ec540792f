import tseslint from 'typescript-eslint';

/**
 * Layering rules (VS Code enforces its own the same way): analysis/ is a pure
 * library usable from the CLI, the engine process and tests, so it may not
 * reach for Node built-ins, Electron or the DOM.
 */
const nodeBuiltinNames = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'stream', 'stream/promises', 'net', 'http', 'https', 'worker_threads', 'buffer', 'crypto', 'util', 'events', 'zlib', 'url', 'process'];
const nodeMessage = 'analysis/ is pure TypeScript: no Node built-ins (take bytes and async iterables from the caller).';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.bench/**', '.scratch/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['analysis/**/*.ts'],
    languageOptions: {
      globals: {},
    },
    rules: {
      'no-restricted-imports': ['error', {
        // Bare names are matched exactly (paths), so our own ../events and ../util folders are not mistaken for Node's.
        paths: nodeBuiltinNames.map((name) => ({ name, message: nodeMessage })),
        patterns: [
          { group: ['node:*'], message: nodeMessage },
          { group: ['electron', 'electron/*'], message: 'analysis/ must not import Electron.' },
          { group: ['../../electron/*', '../electron/*', '**/renderer/**', '**/cli/**'], message: 'analysis/ imports nothing outside itself.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'analysis/ has no DOM.' },
        { name: 'document', message: 'analysis/ has no DOM.' },
        { name: 'process', message: 'analysis/ gets its settings from the caller, not process.' },
        { name: 'require', message: 'use ES imports.' },
      ],
    },
  },
  {
    // The case store is shared by the CLI, serve and Electron main: importing Electron would break the first two.
    files: ['store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'store/ runs under plain Node too (CLI, serve): no Electron.' },
          { group: ['**/electron/**', '**/renderer/**', '**/cli/**'], message: 'store/ imports node:*, sqlite3 and types from analysis/ only.' },
        ],
      }],
    },
  },
  {
    // Services and the host run under plain Node as well (the CLI, serve): importing Electron would break them.
    // The full layer table is .dependency-cruiser.cjs (npm run lint:layers).
    files: ['services/**/*.ts', 'host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'services/ and host/ run under plain Node too (CLI, serve): no Electron.' }],
      }],
    },
  },
);
