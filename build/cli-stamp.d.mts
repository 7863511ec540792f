/** The stamp file's name inside the bundle folder. */
export const STAMP_FILE: string;
export const STAMP_VERSION: number;
/** [mtimeMs, size] of a path, or null when it does not exist. */
export function statEntry(path: string): [number, number] | null;
/** Why the bundle in `outDir` cannot be used for the sources under `root`, or null when it can. */
export function staleReason(root: string, outDir: string): string | null;
