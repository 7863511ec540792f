import { createReadStream } from 'node:fs';

/** Chunk size for reading evidence: large enough that per-chunk overhead vanishes, small enough to stay flat in memory. */
export const CHUNK_BYTES = 1 << 20;

/** The file as an async iterable of chunks; the stream is closed when iteration stops early. */
export function fileChunks(path: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: CHUNK_BYTES, signal });
}
