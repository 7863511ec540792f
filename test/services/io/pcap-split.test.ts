import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../analysis/events/diagnostics';
import { framePcap } from '../../../analysis/ingest/capture/pcap';
import { fileChunks } from '../../../services/io/file-source';
import { planPcapRanges, rangeChunks } from '../../../services/io/pcap-split';
import { corpus } from '../../analysis/ingest/text/helpers';

interface Framed { packet: number; offset: number; ts: number }

async function frames(source: AsyncIterable<Uint8Array>, part?: { offset: number; packets: number }): Promise<{ list: Framed[]; diag: Diagnostics }> {
  const list: Framed[] = [];
  const diag = new Diagnostics();
  await framePcap(source, { file: 'x.pcap', diag, part }, (f) => list.push({ packet: f.packet, offset: f.offset, ts: f.tsSec * 1e9 + f.tsNanos }));
  return { list, diag };
}

describe('cutting a classic pcap at record boundaries', () => {
  for (const name of ['zeek__http_1000-requests-one-dropped-response.pcap', 'wireshark-wiki__dhcp-nanosecond.pcap']) {
    it(`${name}: the ranges, framed apart, give every packet of one pass with its number and offset`, async () => {
      const file = corpus('pcap', name);
      const size = statSync(file).size;
      const whole = await frames(fileChunks(file));
      for (const count of [2, 3]) {
        const ranges = (await planPcapRanges(file, size, count))!;
        expect(ranges).toHaveLength(count);
        expect(ranges[0].offset).toBe(24);
        expect(ranges.at(-1)!.end).toBe(size);
        const parts: Framed[] = [];
        for (const r of ranges) {
          const { list, diag } = await frames(rangeChunks(file, r), r);
          expect(diag.weirds).toEqual([]);
          parts.push(...list);
        }
        expect(parts).toEqual(whole.list);
      }
    });
  }

  it('refuses to cut a file whose record length before the cut is corrupt, and a file that is no classic pcap', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pcap-split-'));
    const bytes = readFileSync(corpus('pcap', 'zeek__http_1000-requests-one-dropped-response.pcap'));
    const bad = Buffer.from(bytes);
    // The third record's captured length (little-endian file) set far past any snap length.
    const first = 24 + 16 + bad.readUInt32LE(24 + 8);
    const second = first + 16 + bad.readUInt32LE(first + 8);
    bad.writeUInt32LE(0x7fffff00, second + 8);
    const badPath = path.join(dir, 'bad.pcap');
    writeFileSync(badPath, bad);
    expect(await planPcapRanges(badPath, bad.length, 2)).toBeUndefined();
    const ng = corpus('pcapng', 'chrissanders__http_espn.pcapng');
    expect(await planPcapRanges(ng, statSync(ng).size, 2)).toBeUndefined();
  });
});
