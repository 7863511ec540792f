/**
 * One frame as the packet view shows it: every header as a table of named
 * fields with their byte ranges (for the hex dump), plus the event the
 * streaming decoders make of the same bytes (registry.ts), so the view and the
 * analysis agree on addresses, ports and flags. Offsets cite the RFCs as the
 * decoders do.
 */
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, type NetEvent } from '../events/event';
import { FrameView, ipv4At, ipv6At, type DecodeInput } from './decode-context';
import { dissectLink, field, hex, u16, u32, type PacketLayer } from './dissect-link';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './raw-link';
import { decodeFrame } from './registry';

export type { PacketField, PacketLayer } from './dissect-link';

export interface Dissection {
  layers: PacketLayer[];
  /** The event the analysis makes of this frame (without its source). */
  event: Omit<NetEvent, 'source' | 'payload'>;
  /** The transport payload's place in the frame (TCP, UDP data; ICMP data after its 8-byte header). */
  payload?: { offset: number; length: number };
  /** Malformed input the decoders reported for this frame. */
  problems: string[];
}

const PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 132: 'SCTP' };
const protoText = (p: number): string => `${p}${PROTO_NAMES[p] ? ` (${PROTO_NAMES[p]})` : ''}`;

interface Next { proto: number; offset: number; end: number }

/** IPv4 (RFC 791 §3.1). */
function ipv4(b: Uint8Array, off: number, end: number, layers: PacketLayer[]): Next | null {
  if (end - off < 20 || b[off] >> 4 !== 4) return null;
  const ihl = (b[off] & 0x0f) * 4;
  const total = u16(b, off + 2);
  const frag = u16(b, off + 6);
  const flags = [frag & 0x4000 ? 'DF' : '', frag & 0x2000 ? 'MF' : ''].filter(Boolean).join(', ') || 'none';
  layers.push({
    name: 'IPv4', offset: off, length: Math.min(ihl, end - off),
    fields: [
      field('Version', 4, off, 1), field('Header length', `${ihl} bytes`, off, 1),
      field('DSCP', b[off + 1] >> 2, off + 1, 1), field('ECN', b[off + 1] & 3, off + 1, 1),
      field('Total length', total, off + 2, 2), field('Identification', `${hex(u16(b, off + 4), 4)} (${u16(b, off + 4)})`, off + 4, 2),
      field('Flags', flags, off + 6, 2), field('Fragment offset', (frag & 0x1fff) * 8, off + 6, 2),
      field('Time to live', b[off + 8], off + 8, 1), field('Protocol', protoText(b[off + 9]), off + 9, 1),
      field('Header checksum', hex(u16(b, off + 10), 4), off + 10, 2),
      field('Source', ipv4At(b, off + 12), off + 12, 4), field('Destination', ipv4At(b, off + 16), off + 16, 4),
    ],
  });
  // A non-first fragment carries no transport header.
  if ((frag & 0x1fff) > 0 || ihl < 20) return null;
  return { proto: b[off + 9], offset: off + ihl, end: total >= ihl ? Math.min(end, off + total) : end };
}

const IPV6_EXT: Record<number, string> = { 0: 'Hop-by-hop options', 43: 'Routing', 44: 'Fragment', 51: 'Authentication', 60: 'Destination options', 135: 'Mobility' };

/** IPv6 (RFC 8200 §3) and its extension headers (§4). */
function ipv6(b: Uint8Array, off: number, end: number, layers: PacketLayer[]): Next | null {
  if (end - off < 40 || b[off] >> 4 !== 6) return null;
  const first = u32(b, off);
  const payloadLen = u16(b, off + 4);
  layers.push({
    name: 'IPv6', offset: off, length: 40,
    fields: [
      field('Version', 6, off, 1), field('Traffic class', hex((first >>> 20) & 0xff, 2), off, 2), field('Flow label', hex(first & 0xfffff, 5), off + 1, 3),
      field('Payload length', payloadLen, off + 4, 2), field('Next header', protoText(b[off + 6]), off + 6, 1), field('Hop limit', b[off + 7], off + 7, 1),
      field('Source', ipv6At(b, off + 8), off + 8, 16), field('Destination', ipv6At(b, off + 24), off + 24, 16),
    ],
  });
  const ipEnd = payloadLen > 0 ? Math.min(end, off + 40 + payloadLen) : end;
  let next = b[off + 6];
  let p = off + 40;
  for (let hops = 0; hops < 16 && IPV6_EXT[next] && ipEnd - p >= 8; hops++) {
    const len = next === 44 ? 8 : next === 51 ? (b[p + 1] + 2) * 4 : (b[p + 1] + 1) * 8;
    const fields = [field('Next header', protoText(b[p]), p, 1), field('Length', `${len} bytes`, p + 1, 1)];
    let firstFragment = true;
    if (next === 44) {
      const fo = u16(b, p + 2);
      firstFragment = (fo & 0xfff8) === 0;
      fields.push(field('Fragment offset', fo & 0xfff8, p + 2, 2), field('More fragments', fo & 1 ? 'yes' : 'no', p + 3, 1), field('Identification', hex(u32(b, p + 4), 8), p + 4, 4));
    }
    layers.push({ name: `IPv6 ${IPV6_EXT[next]}`, offset: p, length: len, fields });
    next = b[p];
    p += len;
    if (!firstFragment) return null;
  }
  return p <= ipEnd ? { proto: next, offset: p, end: ipEnd } : null;
}

/** Low bit first, as Wireshark lists them: "0x012 (SYN, ACK)". */
const FLAG_BITS: Array<[number, string]> = [[0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR'], [0x100, 'AE']];

/** TCP (RFC 9293 §3.1). */
function tcp(b: Uint8Array, off: number, end: number, layers: PacketLayer[]): Dissection['payload'] {
  if (end - off < 20) {
    if (end - off >= 4) layers.push({ name: 'TCP (cut)', offset: off, length: end - off, fields: [field('Source port', u16(b, off), off, 2), field('Destination port', u16(b, off + 2), off + 2, 2)] });
    return undefined;
  }
  const hlen = (b[off + 12] >> 4) * 4;
  const flags = ((b[off + 12] & 1) << 8) | b[off + 13];
  const names = FLAG_BITS.filter(([bit]) => flags & bit).map(([, n]) => n).join(', ') || 'none';
  const fields = [
    field('Source port', u16(b, off), off, 2), field('Destination port', u16(b, off + 2), off + 2, 2),
    field('Sequence number', u32(b, off + 4), off + 4, 4), field('Acknowledgment number', u32(b, off + 8), off + 8, 4),
    field('Header length', `${hlen} bytes`, off + 12, 1), field('Flags', `${hex(flags, 3)} (${names})`, off + 12, 2),
    field('Window', u16(b, off + 14), off + 14, 2), field('Checksum', hex(u16(b, off + 16), 4), off + 16, 2), field('Urgent pointer', u16(b, off + 18), off + 18, 2),
  ];
  if (hlen > 20) fields.push(field('Options', `${Math.min(hlen, end - off) - 20} bytes`, off + 20, Math.max(0, Math.min(hlen, end - off) - 20)));
  layers.push({ name: 'TCP', offset: off, length: Math.min(hlen, end - off), fields });
  const data = off + Math.max(hlen, 20);
  return data < end ? { offset: data, length: end - data } : undefined;
}

/** UDP (RFC 768). */
function udp(b: Uint8Array, off: number, end: number, layers: PacketLayer[]): Dissection['payload'] {
  if (end - off < 8) return undefined;
  layers.push({
    name: 'UDP', offset: off, length: 8,
    fields: [field('Source port', u16(b, off), off, 2), field('Destination port', u16(b, off + 2), off + 2, 2), field('Length', u16(b, off + 4), off + 4, 2), field('Checksum', hex(u16(b, off + 6), 4), off + 6, 2)],
  });
  return end > off + 8 ? { offset: off + 8, length: end - off - 8 } : undefined;
}

/** ICMP (RFC 792) and ICMPv6 (RFC 4443): type, code, checksum, then the echo id and sequence where they exist. */
function icmp(b: Uint8Array, off: number, end: number, v6: boolean, layers: PacketLayer[]): Dissection['payload'] {
  if (end - off < 4) return undefined;
  const type = b[off];
  const fields = [field('Type', type, off, 1), field('Code', b[off + 1], off + 1, 1), field('Checksum', hex(u16(b, off + 2), 4), off + 2, 2)];
  const echo = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
  if (echo && end - off >= 8) fields.push(field('Identifier', u16(b, off + 4), off + 4, 2), field('Sequence number', u16(b, off + 6), off + 6, 2));
  layers.push({ name: v6 ? 'ICMPv6' : 'ICMP', offset: off, length: Math.min(8, end - off), fields });
  return end > off + 8 ? { offset: off + 8, length: end - off - 8 } : undefined;
}

/** Every header of one captured frame, and what the analysis's decoders make of it. */
export function dissectFrame(linkType: number, bytes: Uint8Array, origLen: number): Dissection {
  const problems: string[] = [];
  const view = new FrameView();
  view.bytes = bytes;
  const input: DecodeInput = { bytes, view, end: bytes.length, weird: (_code, message) => problems.push(message) };
  const ev = { kind: 'packet', ts: 0, length: origLen, source: { file: '', offset: 0 } } as NetEvent;
  decodeFrame(linkType, input, ev);
  const { source: _source, payload: _payload, ...event } = ev;

  const link = dissectLink(linkType, bytes, bytes.length);
  const layers = [...link.layers];
  let payload: Dissection['payload'];
  const n = link.next;
  const ip = n?.type === ETHERTYPE_IPV4 ? ipv4(bytes, n.offset, n.end, layers) : n?.type === ETHERTYPE_IPV6 ? ipv6(bytes, n.offset, n.end, layers) : null;
  if (ip) {
    if (ip.proto === IPPROTO_TCP) payload = tcp(bytes, ip.offset, ip.end, layers);
    else if (ip.proto === IPPROTO_UDP) payload = udp(bytes, ip.offset, ip.end, layers);
    else if (ip.proto === IPPROTO_ICMP || ip.proto === IPPROTO_ICMPV6) payload = icmp(bytes, ip.offset, ip.end, ip.proto === IPPROTO_ICMPV6, layers);
  }
  if (bytes.length < origLen) problems.push(`only ${bytes.length} of the packet's ${origLen} bytes were captured (snap length)`);
  return { layers, event, ...(payload ? { payload } : {}), problems };
}
