import { createReadStream } from 'node:fs';

/** Chunk size for reading evidence: large enough that per-chunk overhead vanishes, small enough to stay flat in memory. */
export const CHUNK_BYTES = 1 << 20;

/** The smallest chunk asked for when the file's size is known: a log still being written may have grown since. */
const MIN_CHUNK_BYTES = 64 << 10;

/**
 * The file as an async iterable of chunks; the stream is closed when iteration stops early.
 * With the file's `size`, a small file is read in a chunk its size: the stream takes a buffer
 * of the whole chunk size for every read (the last one only to find the end), 2 MiB for a
 * file of a few kilobytes.
 */
export function fileChunks(path: string, signal?: AbortSignal, size?: number): AsyncIterable<Uint8Array> {
  const chunk = size === undefined ? CHUNK_BYTES : Math.min(CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, size));
  return createReadStream(path, { highWaterMark: chunk, signal });
}
