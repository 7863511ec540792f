/**
 * mailparser behind a module of our own, which mail.ts imports dynamically
 * on the first mail. A dynamic import of the CommonJS package itself would,
 * in the CLI bundle (esbuild with code splitting, build/build-cli.mjs),
 * expose only a default export and no `simpleParser` (esbuild issue #3245);
 * this ES module keeps its named export in both the bundle and the sources.
 */
export { simpleParser } from 'mailparser';
