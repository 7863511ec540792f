/**
 * A small capture writer for tests: builds Ethernet/IPv4/IPv6/TCP/UDP/ICMP
 * frames by the RFC layouts and writes classic pcap files, so the seeds can
 * be replayed as evidence and decoders tested on bytes we control.
 */

export interface TcpSpec {
  src: string; dst: string; sport: number; dport: number;
  flags: string; // letters: S A F R P U E C
  seq?: number; ack?: number; window?: number; ttl?: number; id?: number;
  options?: number[]; payload?: Uint8Array | string;
  srcMac?: string; dstMac?: string;
}

export interface UdpSpec {
  src: string; dst: string; sport: number; dport: number; payload?: Uint8Array | string; ttl?: number; id?: number;
  srcMac?: string; dstMac?: string;
}

export interface Frame {
  ts: number; // microseconds since epoch
  data: Uint8Array;
  origLen?: number;
}

const FLAG_BITS: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 };

export function bytes(p: Uint8Array | string | undefined): Uint8Array {
  if (p === undefined) return new Uint8Array(0);
  return typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

function ipv4Bytes(a: string): number[] {
  return a.split('.').map(Number);
}

function macBytes(m: string | undefined, fallback: number[]): number[] {
  return m ? m.split(':').map((h) => parseInt(h, 16)) : fallback;
}

export function ethernet(payload: Uint8Array, etherType: number, srcMac?: string, dstMac?: string): Uint8Array {
  const out = new Uint8Array(14 + payload.length);
  out.set(macBytes(dstMac, [0, 0x11, 0x22, 0x33, 0x44, 0x55]), 0);
  out.set(macBytes(srcMac, [0, 0x66, 0x77, 0x88, 0x99, 0xaa]), 6);
  out[12] = etherType >> 8;
  out[13] = etherType & 0xff;
  out.set(payload, 14);
  return out;
}

export interface Ipv4Opts { ttl?: number; id?: number; mf?: boolean; fragOffset?: number; totalLength?: number }

export function ipv4(src: string, dst: string, proto: number, payload: Uint8Array, o: Ipv4Opts = {}): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const v = new DataView(out.buffer);
  out[0] = 0x45;
  v.setUint16(2, o.totalLength ?? out.length);
  v.setUint16(4, o.id ?? 1);
  v.setUint16(6, (o.mf ? 0x2000 : 0) | ((o.fragOffset ?? 0) / 8));
  out[8] = o.ttl ?? 64;
  out[9] = proto;
  out.set(ipv4Bytes(src), 12);
  out.set(ipv4Bytes(dst), 16);
  out.set(payload, 20);
  return out;
}

export function tcpSegment(s: TcpSpec): Uint8Array {
  const opts = s.options ?? [];
  const optLen = (opts.length + 3) & ~3;
  const payload = bytes(s.payload);
  const out = new Uint8Array(20 + optLen + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, s.sport);
  v.setUint16(2, s.dport);
  v.setUint32(4, s.seq ?? 1000);
  v.setUint32(8, s.ack ?? 0);
  out[12] = ((20 + optLen) / 4) << 4;
  out[13] = [...s.flags].reduce((f, c) => f | (FLAG_BITS[c] ?? 0), 0);
  v.setUint16(14, s.window ?? 65535);
  out.set(opts, 20);
  out.set(payload, 20 + optLen);
  return out;
}

export function udpDatagram(s: UdpSpec): Uint8Array {
  const payload = bytes(s.payload);
  const out = new Uint8Array(8 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, s.sport);
  v.setUint16(2, s.dport);
  v.setUint16(4, out.length);
  out.set(payload, 8);
  return out;
}

export function tcpFrame(s: TcpSpec): Uint8Array {
  return ethernet(ipv4(s.src, s.dst, 6, tcpSegment(s), { ttl: s.ttl, id: s.id }), 0x0800, s.srcMac, s.dstMac);
}

export function udpFrame(s: UdpSpec): Uint8Array {
  return ethernet(ipv4(s.src, s.dst, 17, udpDatagram(s), { ttl: s.ttl, id: s.id }), 0x0800, s.srcMac, s.dstMac);
}

export function icmpFrame(src: string, dst: string, type: number, code: number, body: Uint8Array, ttl = 64): Uint8Array {
  const icmp = new Uint8Array(8 + body.length);
  icmp[0] = type;
  icmp[1] = code;
  icmp.set(body, 8);
  return ethernet(ipv4(src, dst, 1, icmp, { ttl }), 0x0800);
}

export interface PcapOptions { bigEndian?: boolean; nanos?: boolean; linkType?: number; snaplen?: number }

/** Classic pcap (pcap-savefile(5)) with the chosen byte order and time resolution. */
export function writePcap(frames: Frame[], o: PcapOptions = {}): Uint8Array {
  const le = !o.bigEndian;
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, o.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, o.snaplen ?? 262144, le);
  v.setUint32(20, o.linkType ?? 1, le);
  let p = 24;
  for (const f of frames) {
    const sec = Math.floor(f.ts / 1e6);
    const frac = f.ts - sec * 1e6;
    v.setUint32(p, sec, le);
    v.setUint32(p + 4, o.nanos ? frac * 1000 : frac, le);
    v.setUint32(p + 8, f.data.length, le);
    v.setUint32(p + 12, f.origLen ?? f.data.length, le);
    out.set(f.data, p + 16);
    p += 16 + f.data.length;
  }
  return out;
}

/** Re-frame an Ethernet frame as Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 16-byte header, sender MAC kept). */
export function toSll(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + frame.length - 14);
  out[1] = 0; // packet type: to us
  out[3] = 1; // ARPHRD_ETHER
  out[5] = 6; // address length
  out.set(frame.subarray(6, 12), 6);
  out.set(frame.subarray(12, 14), 14);
  out.set(frame.subarray(14), 16);
  return out;
}
