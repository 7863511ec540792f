/**
 * The layers, enforced (`npm run lint:layers`): imports flow downward only.
 *
 *   analysis/  pure engine: no Node built-ins, no other layer
 *   store/     persistence: analysis only
 *   services/  Node application services: analysis, store
 *   host/      what Electron main and serve share: analysis, store, services, electron/common (the contract)
 *   electron/  main, preload, engine, common: everything below, never cli/
 *   cli/       argument parsing and printing: everything below except electron/main
 *   renderer/  Svelte views over the contract: renderer/, electron/common and the pure analysis/ types and templates
 *
 * Type-only imports count too: a type is a dependency on the room it lives in.
 */
const layer = (name, mayNot) => ({
  name: `${name}-layer`,
  severity: 'error',
  comment: `${name}/ imports only from the layers below it (ARCHITECTURE.md)`,
  from: { path: `^${name}/` },
  to: { path: `^(${mayNot.join('|')})/` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'a file cycle makes the layers meaningless', from: {}, to: { circular: true } },
    layer('analysis', ['store', 'services', 'host', 'electron', 'cli', 'renderer', 'bench']),
    {
      name: 'analysis-pure',
      severity: 'error',
      comment: 'analysis/ is a pure library: bytes and async iterables in, plain data out (no Node I/O)',
      from: { path: '^analysis/' },
      to: { dependencyTypes: ['core'] },
    },
    layer('store', ['services', 'host', 'electron', 'cli', 'renderer', 'bench']),
    layer('services', ['host', 'electron', 'cli', 'renderer', 'bench']),
    layer('host', ['electron/main', 'electron/preload', 'electron/engine', 'cli', 'renderer', 'bench']),
    layer('electron', ['cli', 'renderer', 'bench']),
    layer('cli', ['electron/main', 'electron/preload', 'renderer']),
    layer('renderer', ['store', 'services', 'host', 'electron/main', 'electron/preload', 'electron/engine', 'cli', 'bench']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.bench|\\.scratch)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.svelte.ts', '.mjs', '.js', '.svelte'] },
  },
};
