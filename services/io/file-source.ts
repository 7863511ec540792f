import { open } from 'node:fs/promises';
import { AbortError } from '../../analysis/events/diagnostics';

/** Chunk size for reading evidence: large enough that per-chunk overhead vanishes, small enough to stay flat in memory. */
export const CHUNK_BYTES = 1 << 20;

/** The smallest chunk asked for when the file's size is known: a log still being written may have grown since. */
const MIN_CHUNK_BYTES = 64 << 10;

/**
 * The chunk size for a file of `size` bytes. Whoever else reads a file for
 * a reader (frame-worker.ts) reads in the same chunks: where a reader stops
 * at a fault, how many bytes it says it read depends on them.
 */
export function chunkLength(size: number | undefined): number {
  return size === undefined ? CHUNK_BYTES : Math.min(CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, size));
}

/**
 * The file as an async iterable of chunks; the file is closed when iteration
 * stops, early or not. Chunks are read into three buffers in turn: a chunk is
 * valid until the one after it has been taken and another is asked for, which
 * every reader honours (they copy what they keep past a chunk: a line's
 * start, a record straddling two chunks, a payload), and the next chunk is
 * read while the reader works on this one, into the third buffer. Reading
 * only when asked left the analysis idle for every read, a tenth of its time
 * on a 1 GiB capture. A fresh buffer per read, as a read stream makes, cost
 * a page fault per 4 KiB (1 s of system time a GiB) and left dead megabytes
 * for the collector to find. With the file's `size`, a small file is read in
 * buffers its size, not 1 MiB.
 */
export async function* fileChunks(path: string, signal?: AbortSignal, size?: number): AsyncGenerator<Uint8Array> {
  const length = chunkLength(size);
  if (signal?.aborted) throw new AbortError();
  const file = await open(path, 'r');
  let ahead: Promise<{ bytesRead: number }> | undefined;
  try {
    // Made when first read into: a file of one chunk never needs the third.
    const buffers: Uint8Array[] = [];
    const buffer = (k: number): Uint8Array => (buffers[k] ??= new Uint8Array(length));
    let position = 0;
    ahead = file.read(buffer(0), 0, length, 0);
    for (let turn = 0; ; turn = (turn + 1) % 3) {
      const { bytesRead } = await ahead;
      ahead = undefined;
      if (signal?.aborted) throw new AbortError();
      if (bytesRead === 0) return;
      position += bytesRead;
      // The buffer two turns back: its chunk stops being valid as the reader asks for this one.
      ahead = file.read(buffer((turn + 1) % 3), 0, length, position);
      yield buffers[turn].subarray(0, bytesRead);
    }
  } finally {
    // A read still in flight finishes before the file is closed under it; its failure no longer matters.
    await ahead?.catch(() => undefined);
    await file.close();
  }
}
