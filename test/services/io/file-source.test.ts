import { readFileSync, statSync } from 'node:fs';
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

  it('stops when the signal fires', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(chunksOf(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'), undefined, ctl.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
