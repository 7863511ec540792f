import { CaptureWriter } from '../capture-writer';

/**
 * Ethernet/IPv4/TCP|UDP frames for the benchmark shapes, written straight
 * into a classic pcap. One reused frame buffer; IPv4 header checksums are
 * correct, frames are padded to the 60-byte Ethernet minimum, TCP/UDP
 * checksums are left zero (as a capture with checksum offload shows them).
 */

export const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;

export interface TcpOptions {
  ttl?: number;
  window?: number;
  /** Append an MSS option (SYN and SYN-ACK of real stacks do; flood tools often do not). */
  mss?: boolean;
  /** Urgent pointer (with URG). */
  urgent?: number;
  ipId?: number;
}

/** Routers' MACs: which one is the source depends on the direction. */
const MAC_OURS = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01];
const MAC_UPSTREAM = [0x00, 0x0c, 0x29, 0x7d, 0x12, 0x02];

export class FrameWriter {
  readonly frame = new Uint8Array(1514);
  private readonly dv = new DataView(this.frame.buffer);
  private readonly writer: CaptureWriter;
  private ipId = 1;
  /** Time of the next packet, microseconds since the epoch; the shape advances it. */
  ts: number;
  /** Bytes of the pcap written so far (file header included). */
  bytes = 24;

  constructor(path: string, startMicros: number, private readonly isOurs: (addr: number) => boolean, private readonly payloadPool: Uint8Array) {
    this.writer = new CaptureWriter(path, 'pcap');
    this.ts = startMicros;
  }

  get packets(): number { return this.writer.packets; }

  private ip(src: number, dst: number, proto: number, l4Len: number, ttl: number, ipId?: number): void {
    const frame = this.frame;
    const dv = this.dv;
    const outbound = this.isOurs(src);
    frame.set(outbound ? MAC_UPSTREAM : MAC_OURS, 0);
    frame.set(outbound ? MAC_OURS : MAC_UPSTREAM, 6);
    dv.setUint16(12, 0x0800);
    dv.setUint32(14, 0x45000000 | (20 + l4Len));
    const id = ipId ?? (this.ipId = (this.ipId + 1) & 0xffff);
    dv.setUint32(18, (id << 16) | 0x4000);
    dv.setUint32(22, (ttl << 24) | (proto << 16));
    dv.setUint32(26, src);
    dv.setUint32(30, dst);
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += dv.getUint16(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    dv.setUint16(24, ~sum & 0xffff);
  }

  /** Fill `len` bytes at `at` from the payload pool, starting at `from`. */
  private payload(at: number, len: number, from: number): void {
    const pool = this.payloadPool;
    const start = from % (pool.length - len);
    this.frame.set(pool.subarray(start, start + len), at);
  }

  tcp(src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, payloadLen: number, o: TcpOptions = {}): void {
    const opts = o.mss ? 4 : 0;
    this.ip(src, dst, 6, 20 + opts + payloadLen, o.ttl ?? 64, o.ipId);
    const dv = this.dv;
    dv.setUint16(34, sport);
    dv.setUint16(36, dport);
    dv.setUint32(38, seq >>> 0);
    dv.setUint32(42, flags & ACK ? ack >>> 0 : 0);
    dv.setUint16(46, (((20 + opts) / 4) << 12) | flags);
    dv.setUint16(48, o.window ?? 502);
    dv.setUint32(50, o.urgent ?? 0);
    if (opts) dv.setUint32(54, 0x020405b4);
    const data = 54 + opts;
    if (payloadLen > 0) this.payload(data, payloadLen, seq);
    this.emit(data + payloadLen);
  }

  udp(src: number, dst: number, sport: number, dport: number, payloadLen: number, ttl = 64): void {
    this.ip(src, dst, 17, 8 + payloadLen, ttl);
    const dv = this.dv;
    dv.setUint16(34, sport);
    dv.setUint16(36, dport);
    dv.setUint16(38, 8 + payloadLen);
    dv.setUint16(40, 0);
    if (payloadLen > 0) this.payload(42, payloadLen, (src ^ dport) + payloadLen);
    this.emit(42 + payloadLen);
  }

  private emit(len: number): void {
    if (len < 60) { this.frame.fill(0, len, 60); len = 60; }
    this.writer.write(this.ts, this.frame, len);
    this.bytes += 16 + len;
  }

  close(): void {
    this.writer.close();
  }
}

/** A payload pool of seeded random bytes, shared by all frames of a shape. */
export function payloadPool(next: () => number, size = 1 << 16): Uint8Array {
  const pool = new Uint8Array(size);
  for (let i = 0; i < size; i++) pool[i] = next() & 0xff;
  return pool;
}
