import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, fileChunks } from '../../../services/io/file-source';
import { casesDir, corpusDir } from '../../helpers/paths';

async function chunksOf(path: string, size?: number, signal?: AbortSignal): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of fileChunks(path, signal, size)) out.push(c);
  return out;
}

describe('evidence files as chunks', () => {
  it('seed001\'s 6,864-packet capture comes back whole, in chunks of at most 1 MiB', async () => {
    const path = join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap');
    const chunks = await chunksOf(path);
    expect(Buffer.concat(chunks).equals(readFileSync(path))).toBe(true);
    expect(chunks.every((c) => c.length <= CHUNK_BYTES)).toBe(true);
  });

  it('a small file of known size is read in one chunk of its size, not a 1 MiB buffer', async () => {
    const path = join(corpusDir, 'pcap', 'tcpdump__LINKTYPE_IPV4.pcap');
    const chunks = await chunksOf(path, statSync(path).size);
    expect(chunks).toHaveLength(1);
    expect(chunks[0].buffer.byteLength).toBeLessThanOrEqual(64 << 10);
  });

  it('reads into three buffers in turn, whatever the file size: no fresh megabyte per read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chunks-'));
    const path = join(dir, 'five-and-a-half.bin');
    const data = Uint8Array.from({ length: 5.5 * CHUNK_BYTES }, (_, i) => (i * 2654435761) >>> 24);
    writeFileSync(path, data);
    const buffers = new Set<ArrayBufferLike>();
    const whole: Uint8Array[] = [];
    let previous: { chunk: Uint8Array; at: number } | undefined;
    let at = 0;
    for await (const c of fileChunks(path)) {
      // The chunk before this one is still the file's bytes, though the one after this is being read ahead.
      if (previous) expect(Buffer.compare(previous.chunk, data.subarray(previous.at, previous.at + previous.chunk.length))).toBe(0);
      buffers.add(c.buffer);
      whole.push(c.slice());
      previous = { chunk: c, at };
      at += c.length;
    }
    expect(whole).toHaveLength(6);
    expect(buffers.size).toBe(3);
    expect(Buffer.concat(whole).equals(readFileSync(path))).toBe(true);
    rmSync(dir, { recursive: true });
  });

  it('closes the file when the reader stops early', async () => {
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    for await (const c of fileChunks(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'))) { expect(c.length).toBeGreaterThan(0); break; }
    expect(open()).toBe(before);
  });

  it('stops when the signal fires', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(chunksOf(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'), undefined, ctl.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
