/**
 * Sources of chunks for readers under test: one that reads into two buffers
 * in turn, overwriting a chunk's bytes as early as the chunk contract of
 * services/io/file-source.ts allows (once the one after it has been taken and
 * another asked for), and one that never reuses anything.
 */
export async function* reusingChunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffers = [new Uint8Array(size), new Uint8Array(size)];
  for (let i = 0, turn = 0; i < data.length; i += size, turn ^= 1) {
    const n = Math.min(size, data.length - i);
    buffers[turn].set(data.subarray(i, i + n));
    yield buffers[turn].subarray(0, n);
  }
}

export async function* freshChunk(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data.slice();
}
