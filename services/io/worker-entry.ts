import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Defined as `true` by build/build-cli.mjs; absent when the sources run through tsx. */
declare const ABUSE_DESK_CLI_BUNDLE: boolean | undefined;

export interface WorkerEntry {
  /** A script file, or with `eval` the code of a CommonJS script. */
  script: URL | string;
  eval: boolean;
}

/**
 * A worker thread's script, by name (part-worker, frame-worker): the
 * bundle's NAME.mjs beside its stamp.json when this code runs from the CLI
 * bundle, else the TypeScript source NAME.ts loaded through tsx
 * (development, tests). Undefined in a build that has neither (the Electron
 * engine's bundle): the work is then done in the calling thread, as before.
 */
export function workerEntry(name: 'part-worker' | 'frame-worker'): WorkerEntry | undefined {
  // A CommonJS bundle (the Electron engine's) has no module URL: no worker script beside it either.
  if (typeof import.meta.url !== 'string') return undefined;
  const here = dirname(fileURLToPath(import.meta.url));
  if (typeof ABUSE_DESK_CLI_BUNDLE !== 'undefined' && ABUSE_DESK_CLI_BUNDLE) {
    for (let d = here; ; d = dirname(d)) {
      if (existsSync(join(d, 'stamp.json'))) {
        const entry = join(d, `${name}.mjs`);
        return existsSync(entry) ? { script: pathToFileURL(entry), eval: false } : undefined;
      }
      if (dirname(d) === d) return undefined;
    }
  }
  const source = join(here, `${name}.ts`);
  if (!existsSync(source)) return undefined;
  try {
    // tsx's loader given as --import does not reach a worker's module loader in Node 20: load the source through its API.
    // require.resolve picks the package's CommonJS build of the API; a worker imports its ES module beside it.
    const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const url = pathToFileURL(source).href;
    return { script: `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}));`, eval: true };
  } catch {
    return undefined;
  }
}

/** The evidence worker's script (part-worker.ts). */
export function partWorkerEntry(): WorkerEntry | undefined {
  return workerEntry('part-worker');
}
