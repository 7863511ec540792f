/**
 * The link layer of one frame as a field table, for the packet view: which
 * header the capture's link type puts first, its fields with their byte
 * ranges, and where the network layer starts. The streaming decoders
 * (ethernet.ts, cooked.ts, raw-link.ts) keep only what detectors need; this
 * names every field, for one packet at a time.
 */
import { macAt } from './decode-context';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './raw-link';

/** One header field: its name, its value as text, and the bytes it occupies in the frame. */
export interface PacketField {
  name: string;
  value: string;
  offset: number;
  length: number;
}

/** One decoded header ("Ethernet II", "IPv4", "TCP"), its place in the frame and its fields. */
export interface PacketLayer {
  name: string;
  offset: number;
  length: number;
  fields: PacketField[];
}

/** Where the link layer hands over: an EtherType-like number (0 when it is not IP) at `offset`, ending at `end`. */
export interface LinkResult {
  layers: PacketLayer[];
  next: { type: number; offset: number; end: number } | null;
}

export const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
export const u32 = (b: Uint8Array, o: number): number => b[o] * 0x1000000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
export const hex = (n: number, digits: number): string => `0x${n.toString(16).padStart(digits, '0')}`;
export const field = (name: string, value: string | number, offset: number, length: number): PacketField => ({ name, value: String(value), offset, length });

const ETHERTYPE_NAMES: Record<number, string> = {
  [ETHERTYPE_IPV4]: 'IPv4', [ETHERTYPE_IPV6]: 'IPv6', 0x0806: 'ARP', 0x8100: '802.1Q', 0x88a8: '802.1ad', 0x9100: 'QinQ', 0x88cc: 'LLDP',
};
const VLAN_TYPES = new Set([0x8100, 0x88a8, 0x9100]);

function etherType(t: number): string {
  return `${hex(t, 4)}${ETHERTYPE_NAMES[t] ? ` (${ETHERTYPE_NAMES[t]})` : ''}`;
}

/** Ethernet II (IEEE 802.3) and any VLAN tags after it. */
function ethernet(b: Uint8Array, end: number): LinkResult {
  if (end < 14) return { layers: [], next: null };
  const layers: PacketLayer[] = [{
    name: 'Ethernet II', offset: 0, length: 14,
    fields: [field('Destination', macAt(b, 0), 0, 6), field('Source', macAt(b, 6), 6, 6), field('Type', etherType(u16(b, 12)), 12, 2)],
  }];
  let type = u16(b, 12);
  let p = 14;
  while (VLAN_TYPES.has(type) && end - p >= 4) {
    const tci = u16(b, p);
    layers.push({
      name: '802.1Q VLAN', offset: p, length: 4,
      fields: [field('Priority', tci >> 13, p, 2), field('VLAN id', tci & 0x0fff, p, 2), field('Type', etherType(u16(b, p + 2)), p + 2, 2)],
    });
    type = u16(b, p + 2);
    p += 4;
  }
  return { layers, next: type > 1500 ? { type, offset: p, end } : null };
}

const SLL_PACKET_TYPES: Record<number, string> = { 0: 'to us', 1: 'broadcast', 2: 'multicast', 3: 'to another host', 4: 'sent by us' };

function linkAddress(b: Uint8Array, off: number, len: number): string {
  return len === 6 ? macAt(b, off) : Array.from(b.subarray(off, off + Math.min(len, 8)), (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Linux cooked capture v1 (16 bytes) and v2 (20 bytes); see cooked.ts for the offsets. */
function sll(b: Uint8Array, end: number, v2: boolean): LinkResult {
  const size = v2 ? 20 : 16;
  if (end < size) return { layers: [], next: null };
  const fields = v2
    ? [
      field('Protocol', etherType(u16(b, 0)), 0, 2), field('Interface index', u32(b, 4), 4, 4), field('Link-layer type', u16(b, 8), 8, 2),
      field('Packet type', SLL_PACKET_TYPES[b[10]] ?? b[10], 10, 1), field('Address', linkAddress(b, 12, b[11]), 12, 8),
    ]
    : [
      field('Packet type', SLL_PACKET_TYPES[u16(b, 0)] ?? u16(b, 0), 0, 2), field('Link-layer type', u16(b, 2), 2, 2),
      field('Address', linkAddress(b, 6, u16(b, 4)), 6, 8), field('Protocol', etherType(u16(b, 14)), 14, 2),
    ];
  return { layers: [{ name: v2 ? 'Linux cooked capture v2' : 'Linux cooked capture', offset: 0, length: size, fields }], next: { type: u16(b, v2 ? 0 : 14), offset: size, end } };
}

const AF_INET6 = new Set([10, 24, 28, 30]);

/** BSD loopback (LINKTYPE_NULL in the capturing host's order, LINKTYPE_LOOP in network order). */
function loopback(b: Uint8Array, end: number): LinkResult {
  if (end < 4) return { layers: [], next: null };
  const le = b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
  const family = le >= 0 && le <= 0xffff ? le : u32(b, 0);
  const type = family === 2 ? ETHERTYPE_IPV4 : AF_INET6.has(family) ? ETHERTYPE_IPV6 : 0;
  return { layers: [{ name: 'Loopback', offset: 0, length: 4, fields: [field('Address family', family, 0, 4)] }], next: type ? { type, offset: 4, end } : null };
}

/** NFLOG: a 4-byte header, then TLVs in host (little-endian) order; type 9 carries the packet. */
function nflog(b: Uint8Array, end: number): LinkResult {
  if (end < 4) return { layers: [], next: null };
  const layer: PacketLayer = { name: 'NFLOG', offset: 0, length: 4, fields: [field('Family', b[0], 0, 1), field('Resource id', u16(b, 2), 2, 2)] };
  let p = 4;
  while (p + 4 <= end) {
    const len = b[p] | (b[p + 1] << 8);
    const type = (b[p + 2] | (b[p + 3] << 8)) & 0x7fff;
    if (len < 4) break;
    if (type === 9) {
      layer.length = p + 4;
      return { layers: [layer], next: { type: b[0] === 10 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4, offset: p + 4, end: Math.min(end, p + len) } };
    }
    p += (len + 3) & ~3;
  }
  return { layers: [layer], next: null };
}

/** A raw IP frame: the version nibble says which. */
function rawIp(b: Uint8Array, end: number): LinkResult {
  const v = end > 0 ? b[0] >> 4 : 0;
  const type = v === 4 ? ETHERTYPE_IPV4 : v === 6 ? ETHERTYPE_IPV6 : 0;
  return { layers: [], next: type ? { type, offset: 0, end } : null };
}

/** The link-layer header of a frame of this LINKTYPE_ (tcpdump.org/linktypes.html). */
export function dissectLink(linkType: number, b: Uint8Array, end: number): LinkResult {
  switch (linkType) {
    case 1: return ethernet(b, end);
    case 0: case 108: return loopback(b, end);
    case 101: return rawIp(b, end);
    case 113: return sll(b, end, false);
    case 276: return sll(b, end, true);
    case 228: return { layers: [], next: { type: ETHERTYPE_IPV4, offset: 0, end } };
    case 229: return { layers: [], next: { type: ETHERTYPE_IPV6, offset: 0, end } };
    case 239: return nflog(b, end);
    default: return { layers: [], next: null };
  }
}
