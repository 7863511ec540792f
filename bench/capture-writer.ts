import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A minimal capture writer for benchmarks: classic pcap (LE, microseconds,
 * pcap-savefile(5)) or pcapng (LE, one Ethernet interface at the default
 * microsecond resolution, draft-ietf-opsawg-pcapng 4.1-4.3). Frames are
 * copied into an 8 MiB buffer that is flushed with one write when full.
 */
export type CaptureFormat = 'pcap' | 'pcapng';

const FLUSH_BYTES = 8 << 20;

export class CaptureWriter {
  private readonly fd: number;
  private readonly buf = new Uint8Array(FLUSH_BYTES + 4096);
  private readonly dv = new DataView(this.buf.buffer);
  private at = 0;
  bytes = 0;
  packets = 0;

  constructor(path: string, private readonly format: CaptureFormat, linkType = 1, snapLen = 65535) {
    this.fd = openSync(path, 'w');
    const dv = this.dv;
    if (format === 'pcap') {
      dv.setUint32(0, 0xa1b2c3d4, true);
      dv.setUint16(4, 2, true);
      dv.setUint16(6, 4, true);
      dv.setUint32(16, snapLen, true);
      dv.setUint32(20, linkType, true);
      this.at = 24;
    } else {
      // SHB: type, length 28, byte-order magic, version 1.0, section length -1 (unknown), length.
      dv.setUint32(0, 0x0a0d0d0a, true);
      dv.setUint32(4, 28, true);
      dv.setUint32(8, 0x1a2b3c4d, true);
      dv.setUint16(12, 1, true);
      dv.setBigInt64(16, -1n, true);
      dv.setUint32(24, 28, true);
      // IDB without options: link type, snaplen.
      dv.setUint32(28, 1, true);
      dv.setUint32(32, 20, true);
      dv.setUint16(36, linkType, true);
      dv.setUint32(40, snapLen, true);
      dv.setUint32(44, 20, true);
      this.at = 48;
    }
  }

  /** One frame: `tsMicros` since the epoch, the first `len` bytes of `frame`. */
  write(tsMicros: number, frame: Uint8Array, len: number): void {
    if (this.at > FLUSH_BYTES - 2048) this.flush();
    const dv = this.dv;
    const p = this.at;
    const sec = Math.floor(tsMicros / 1e6);
    if (this.format === 'pcap') {
      dv.setUint32(p, sec, true);
      dv.setUint32(p + 4, tsMicros - sec * 1e6, true);
      dv.setUint32(p + 8, len, true);
      dv.setUint32(p + 12, len, true);
      this.buf.set(frame.subarray(0, len), p + 16);
      this.at = p + 16 + len;
    } else {
      const padded = (len + 3) & ~3;
      const total = 32 + padded;
      dv.setUint32(p, 6, true);
      dv.setUint32(p + 4, total, true);
      dv.setUint32(p + 8, 0, true);
      dv.setUint32(p + 12, Math.floor(tsMicros / 4294967296), true);
      dv.setUint32(p + 16, tsMicros >>> 0, true);
      dv.setUint32(p + 20, len, true);
      dv.setUint32(p + 24, len, true);
      this.buf.set(frame.subarray(0, len), p + 28);
      this.buf.fill(0, p + 28 + len, p + 28 + padded);
      dv.setUint32(p + 28 + padded, total, true);
      this.at = p + total;
    }
    this.packets++;
  }

  private flush(): void {
    let off = 0;
    while (off < this.at) off += writeSync(this.fd, this.buf, off, this.at - off);
    this.bytes += this.at;
    this.at = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
