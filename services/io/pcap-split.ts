import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_FRAME_BYTES } from '../../analysis/ingest/capture/frame';
import { sniffPcap, type PcapPart } from '../../analysis/ingest/capture/pcap';
import { CHUNK_BYTES } from './file-source';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const READ_BYTES = 4 << 20;

/** One share of a classic pcap file: records from `offset` (a record boundary) up to `end` (exclusive). */
export interface PcapRange extends PcapPart {
  end: number;
}

/**
 * Cut a classic pcap file into about `count` ranges of equal size at record
 * boundaries, found by walking the record headers from the start (16 bytes
 * read per record, its data skipped): exact, where guessing a boundary from
 * the middle of the file could be fooled by a payload that looks like a
 * record header. Gives undefined when the file is no classic pcap or a record
 * length before the last cut is implausible: the file is then read in one
 * pass, whose framer reports the fault where it is.
 */
export async function planPcapRanges(path: string, size: number, count: number): Promise<PcapRange[] | undefined> {
  if (count < 2 || size < 2 * GLOBAL_HEADER) return undefined;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    let bufStart = 0;
    let bufLen = (await fh.read(buf, 0, READ_BYTES, 0)).bytesRead;
    if (bufLen < GLOBAL_HEADER || !sniffPcap(buf.subarray(0, 4))) return undefined;
    // The magic as read tells the byte order of every header field (pcap-savefile(5)).
    const le = buf[0] === 0xd4 || buf[0] === 0x4d;
    const u32 = (at: number): number => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
    const snaplen = u32(16);
    const limit = Math.max(MAX_FRAME_BYTES, snaplen > 0 && snaplen < 0x7fffffff ? snaplen : 0);
    const cuts: PcapPart[] = [{ offset: GLOBAL_HEADER, packets: 0 }];
    let pos = GLOBAL_HEADER;
    let packets = 0;
    for (let k = 1; k < count; k++) {
      const target = Math.floor((k * size) / count);
      while (pos < target) {
        if (pos + RECORD_HEADER > bufStart + bufLen) {
          bufStart = pos;
          bufLen = (await fh.read(buf, 0, READ_BYTES, pos)).bytesRead;
          if (bufLen < RECORD_HEADER) return undefined;
        }
        const caplen = u32(pos - bufStart + 8);
        if (caplen > limit) return undefined;
        pos += RECORD_HEADER + caplen;
        packets++;
      }
      if (pos >= size) break;
      cuts.push({ offset: pos, packets });
    }
    if (cuts.length < 2) return undefined;
    return cuts.map((c, i) => ({ ...c, end: i + 1 < cuts.length ? cuts[i + 1].offset : size }));
  } finally {
    await fh.close();
  }
}

/** A range as the pcap reader reads a part (ReadContext.pcapPart): the file's global header, then the range's records. */
export async function* rangeChunks(path: string, range: PcapRange, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  const header = Buffer.alloc(GLOBAL_HEADER);
  try {
    await fh.read(header, 0, GLOBAL_HEADER, 0);
  } finally {
    await fh.close();
  }
  yield header;
  if (range.end > range.offset) yield* createReadStream(path, { start: range.offset, end: range.end - 1, highWaterMark: CHUNK_BYTES, signal });
}
