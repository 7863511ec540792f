import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/**
 * Answers of the reference tools (tshark, argus/ra) kept between runs, so the
 * differential tests pay a tool's start-up once per capture and tool version,
 * not once per run and tier. An answer is keyed by the SHA-256 of the capture's
 * bytes (not its path), the tools' version lines and the exact argument lists;
 * a new tool version or a changed file is a miss. Stored as JSON under
 * node_modules/.cache (never committed, gone with a fresh `npm ci`).
 */
export function toolCacheDir(): string {
  // Overridable so that the cache's own test, or a cold-cache timing, can use an empty directory.
  return process.env.ABUSE_DESK_TOOL_CACHE ?? join(repoRoot, 'node_modules', '.cache', 'abuse-desk-tshark');
}

export interface ToolQuery {
  /** The capture the tools read. */
  file: string;
  /** First line of each tool's version output, e.g. "TShark (Wireshark) 4.0.17 ...". */
  versions: string[];
  /** Each command's arguments, with the capture's path written as FILE so that a moved file still hits. */
  args: string[][];
}

interface Stored {
  key: { sha256: string; versions: string[]; args: string[][] };
  output: string;
}

/** Hits and misses in this process, for tests that show the cache works. */
export const toolCacheStats = { hits: 0, misses: 0 };

const hashes = new Map<string, string>();

export function fileSha256(path: string): string {
  let h = hashes.get(path);
  if (!h) {
    h = createHash('sha256').update(readFileSync(path)).digest('hex');
    hashes.set(path, h);
  }
  return h;
}

/**
 * The tools' output for `q`: from the cache when an entry with the same key
 * exists, else from `run()` (whose output is then stored). Parallel workers
 * may both miss and both store; the rename makes each store atomic.
 */
export async function cachedToolOutput(q: ToolQuery, run: () => Promise<string>): Promise<string> {
  const key: Stored['key'] = { sha256: fileSha256(q.file), versions: q.versions, args: q.args };
  const keyText = JSON.stringify(key);
  const dir = toolCacheDir();
  const path = join(dir, `${createHash('sha256').update(keyText).digest('hex')}.json`);
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Stored;
    if (JSON.stringify(stored.key) === keyText) {
      toolCacheStats.hits++;
      return stored.output;
    }
  } catch {
    // No entry yet, or a damaged one: ask the tool.
  }
  toolCacheStats.misses++;
  const output = await run();
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ key, output } satisfies Stored));
  renameSync(tmp, path);
  return output;
}

/** `args` with every occurrence of `file` replaced by FILE, for the cache key. */
export function keyArgs(args: string[], file: string): string[] {
  return args.map((a) => (a === file ? 'FILE' : a));
}

