import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Copy packets [first, first + count) of a classic pcap into a new pcap with
 * the same file header: a contiguous slice, cut at record boundaries, read in
 * large chunks and stopped as soon as the slice is complete (so cutting 1% of
 * a 4 GiB capture does not read the rest). Returns the packets and bytes written.
 */
export function slicePcap(src: string, dst: string, first: number, count: number): { packets: number; bytes: number } {
  const inFd = openSync(src, 'r');
  const outFd = openSync(dst, 'w');
  try {
    const chunk = Buffer.allocUnsafe(8 << 20);
    let have = readSync(inFd, chunk, 0, chunk.length, 0);
    if (have < 24) throw new Error(`${src}: too short for a pcap file header`);
    const magic = chunk.readUInt32LE(0);
    const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    if (!le && magic !== 0xd4c3b2a1 && magic !== 0x4d3cb2a1) throw new Error(`${src}: not a classic pcap (magic ${magic.toString(16)})`);
    writeAll(outFd, chunk.subarray(0, 24));
    let bytes = 24;
    let filePos = have;
    let at = 24;
    let index = 0;
    const out: Buffer[] = [];
    let outLen = 0;
    while (index < first + count) {
      if (have - at < 16 || have - at < 16 + (le ? chunk.readUInt32LE(at + 8) : chunk.readUInt32BE(at + 8))) {
        // Move the partial record to the front and refill.
        chunk.copy(chunk, 0, at, have);
        have -= at;
        at = 0;
        const n = readSync(inFd, chunk, have, chunk.length - have, filePos);
        if (n === 0) break;
        filePos += n;
        have += n;
        continue;
      }
      const len = 16 + (le ? chunk.readUInt32LE(at + 8) : chunk.readUInt32BE(at + 8));
      if (len > chunk.length) throw new Error(`${src}: record ${index} claims ${len} bytes`);
      if (index >= first) {
        out.push(Buffer.from(chunk.subarray(at, at + len)));
        outLen += len;
        if (outLen >= 4 << 20) { writeAll(outFd, Buffer.concat(out)); bytes += outLen; out.length = 0; outLen = 0; }
      }
      at += len;
      index++;
    }
    writeAll(outFd, Buffer.concat(out));
    bytes += outLen;
    return { packets: Math.max(0, Math.min(index, first + count) - first), bytes };
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
}

function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}
