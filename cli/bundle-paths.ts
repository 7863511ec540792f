/**
 * Where the running CLI finds the repository and the engine entry, the same
 * from the TypeScript sources (cli/…) and from the bundle (dist/cli/ and
 * dist/cli/chunks/, build/build-cli.mjs): a module's own location differs
 * between the two, so paths are found upward from it, not counted in `..`s.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Defined as `true` by build/build-cli.mjs; no such global exists when the sources run through tsx. */
declare const ABUSE_DESK_CLI_BUNDLE: boolean | undefined;

/** True when this code runs from the CLI bundle. */
export const runningFromBundle = typeof ABUSE_DESK_CLI_BUNDLE !== 'undefined' && ABUSE_DESK_CLI_BUNDLE;

/** The nearest folder at or above this module's that holds `marker`. */
function upwardWith(marker: string): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, marker))) return d;
    if (dirname(d) === d) throw new Error(`no ${marker} in ${start} or above`);
  }
}

/** The repository (or installed package) root: the folder of package.json. */
export function packageRoot(): string {
  return upwardWith('package.json');
}

/**
 * The engine child's entry for `serve`: the bundle's engine.mjs beside the
 * running bundle (its stamp.json marks the folder), or undefined from the
 * sources, where electron/engine/spawn-node.ts runs electron/engine/main.ts
 * through tsx.
 */
export function engineEntry(): string | undefined {
  return runningFromBundle ? join(upwardWith('stamp.json'), 'engine.mjs') : undefined;
}
