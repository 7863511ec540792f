// The stamp of the CLI bundle (dist/cli/stamp.json): what the bundle was built
// from, so bin/abuse-desk.mjs can tell at start whether it still matches the
// sources without walking the tree (build/build-cli.mjs writes it; the rule
// is in bin/abuse-desk.mjs's header).
//
// Each entry is a path relative to the repository with the mtime (ms, as
// Node reports it) and size that stat gave just BEFORE the build read the
// file; `null` for a path that did not exist. A write after that stat changes
// the mtime, so an edit made while the build ran is caught at the next start,
// never baked in unseen. Directories are stamped too: a file added beside
// the sources (which could change what an import resolves to) changes its
// directory's mtime.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP_FILE = 'stamp.json';
export const STAMP_VERSION = 1;

/** [mtimeMs, size] of a path, or null when it does not exist. */
export function statEntry(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? [st.mtimeMs, st.size] : null;
}

/**
 * Why the bundle in `outDir` cannot be used for the sources under `root`,
 * or null when it can. Costs one stat per stamped path (no directory walk).
 */
export function staleReason(root, outDir) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outDir, STAMP_FILE), 'utf8'));
  } catch {
    return `no ${STAMP_FILE} in ${outDir} (never built, or a build did not finish)`;
  }
  if (stamp.version !== STAMP_VERSION) return `${STAMP_FILE} is of another format`;
  for (const [rel, recorded] of Object.entries(stamp.paths)) {
    const now = statEntry(join(root, rel));
    if (now === null && recorded === null) continue;
    if (now === null || recorded === null) return `${rel} ${now === null ? 'was removed' : 'appeared'} since the build`;
    // A directory's size is file-system noise; its mtime is what says an entry came or went.
    if (now[0] !== recorded[0] || (!stamp.dirs.includes(rel) && now[1] !== recorded[1])) return `${rel} changed since the build`;
  }
  for (const entry of stamp.entries) {
    if (statEntry(join(outDir, entry)) === null) return `${entry} is missing`;
  }
  return null;
}
