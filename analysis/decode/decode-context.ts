import type { NetEvent } from '../events/event';

/**
 * What every decoder gets: the frame's bytes, a DataView over them, where
 * the captured bytes end, and a way to record malformed input. Decoders read
 * one header, fill in the event and hand the rest on through the dispatch
 * table (Zeek's packet-analyzer chain).
 */
export interface DecodeInput {
  bytes: Uint8Array;
  view: ByteView;
  /** End of the captured bytes (exclusive); headers past it are cut by the snap length. */
  end: number;
  /** Record malformed input for this packet (file and offset are added by the caller). */
  weird(code: string, message: string): void;
}

/** The two reads decoders need, with DataView's signatures (big-endian unless `littleEndian`). */
export interface ByteView {
  getUint16(offset: number, littleEndian?: boolean): number;
  getUint32(offset: number, littleEndian?: boolean): number;
}

/**
 * A ByteView over whatever bytes it is pointed at. One per file instead of
 * a DataView per packet: at millions of packets a second the allocation is
 * what costs. Reads past the end give 0 (decoders check lengths first).
 */
export class FrameView implements ByteView {
  bytes: Uint8Array = new Uint8Array(0);

  getUint16(off: number, littleEndian = false): number {
    const b = this.bytes;
    return littleEndian ? b[off] | (b[off + 1] << 8) : (b[off] << 8) | b[off + 1];
  }

  getUint32(off: number, littleEndian = false): number {
    const b = this.bytes;
    return littleEndian
      ? (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16)) + b[off + 3] * 0x1000000
      : b[off] * 0x1000000 + ((b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]);
  }
}

export type Decoder = (input: DecodeInput, offset: number, ev: NetEvent) => void;

/** MAC text by address, direct-mapped like the IPv4 one: a lookup is an array read, no boxed 48-bit key per packet. */
const MAC_SLOTS = 1 << 12;
const macKeys = new Float64Array(MAC_SLOTS).fill(-1);
const macNames: string[] = new Array<string>(MAC_SLOTS).fill('');
/**
 * IPv4 text slots. Bounded (a spoofed flood has millions of sources) and
 * small: 4,096 slots (64 KiB) stay in cache, where 65,536 missed it at
 * every forged source; the addresses a capture repeats are few.
 */
const CACHE_SLOTS = 1 << 12;
const ipv4Keys = new Float64Array(CACHE_SLOTS).fill(-1);
const ipv4Names: string[] = new Array<string>(CACHE_SLOTS).fill('');

/** Hex MAC address "00:11:22:33:44:55" from six bytes at `off`; a capture has few, so they are cached. */
export function macAt(b: Uint8Array, off: number): string {
  const key = (b[off] * 0x10000 + ((b[off + 1] << 8) | b[off + 2])) * 0x1000000 + ((b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]);
  // The device-specific low bytes spread the slots; the vendor's high bytes are shared by many.
  const h = (((b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]) ^ (b[off + 2] << 4)) & (MAC_SLOTS - 1);
  if (macKeys[h] === key) return macNames[h];
  const s = `${HEX[b[off]]}:${HEX[b[off + 1]]}:${HEX[b[off + 2]]}:${HEX[b[off + 3]]}:${HEX[b[off + 4]]}:${HEX[b[off + 5]]}`;
  macKeys[h] = key;
  macNames[h] = s;
  return s;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The 32-bit value of the IPv4 address at `off` (network byte order). */
export function ipv4ValueAt(b: Uint8Array, off: number): number {
  return b[off] * 0x1000000 + ((b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]);
}

/**
 * Dotted text of a 32-bit IPv4 address. Recent ones are cached in a
 * direct-mapped table (a slot per hash of the address, the newest wins): two
 * array reads on a hit, and on a flood of forged sources, where nearly every
 * address is new, no Map to hash into and clear.
 */
export function ipv4Text(key: number): string {
  let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b);
  h = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
  if (ipv4Keys[h] === key) return ipv4Names[h];
  const s = dottedQuad(key);
  ipv4Keys[h] = key;
  ipv4Names[h] = s;
  return s;
}

/** Digits of the text being built by dottedQuad. */
const quad = new Uint8Array(15);

function putOctet(v: number, at: number): number {
  if (v >= 100) { quad[at++] = 48 + ((v / 100) | 0); quad[at++] = 48 + (((v / 10) | 0) % 10); } else if (v >= 10) quad[at++] = 48 + ((v / 10) | 0);
  quad[at++] = 48 + (v % 10);
  return at;
}

/**
 * "a.b.c.d" made as one flat string. A template literal makes one string
 * per octet and per join (seven for an address), which a flood of forged
 * sources, each new, pays at every packet, and a hash of the result then
 * flattens a long one once more.
 */
function dottedQuad(key: number): string {
  let n = putOctet(key >>> 24, 0);
  quad[n++] = 46;
  n = putOctet((key >>> 16) & 255, n);
  quad[n++] = 46;
  n = putOctet((key >>> 8) & 255, n);
  quad[n++] = 46;
  n = putOctet(key & 255, n);
  const q = quad;
  switch (n) {
    case 7: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6]);
    case 8: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]);
    case 9: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8]);
    case 10: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]);
    case 11: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10]);
    case 12: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11]);
    case 13: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12]);
    case 14: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13]);
    default: return String.fromCharCode(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13], q[14]);
  }
}

export function ipv4At(b: Uint8Array, off: number): string {
  return ipv4Text(ipv4ValueAt(b, off));
}

/** IPv6 text in RFC 5952 canonical form (longest zero run compressed, lower case). */
export function ipv6At(b: Uint8Array, off: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  // IPv4-mapped addresses print with a dotted tail, as tshark does.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (w: number): string => w.toString(16);
  if (bestStart < 0) return words.map(hex).join(':');
  const head = words.slice(0, bestStart).map(hex).join(':');
  const tail = words.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/**
 * Keep at most this many payload bytes on an event: a request line and usually its User-Agent, a DNS question.
 * The payload is a view into the frame, valid only while the sink handles the event, like the frame itself
 * (read buffers are reused). Whoever keeps an event copies it: the case analysis's sink does, for the events
 * it passes on. Copying here cost an off-heap allocation per packet (a quarter of the time on mixed traffic),
 * for packets most of which no detector ever sees.
 */
export const PAYLOAD_KEEP = 128;

/**
 * Run the next decoder at `off` with the input's end narrowed (an IP packet
 * shorter than its frame: Ethernet padding), then restore it. Mutating beats
 * copying the input object for every padded packet, and the decoder is
 * passed, not wrapped in a closure: one made per packet was most of what
 * the IPv4 decoder allocated.
 */
export function withEnd(input: DecodeInput, end: number, next: Decoder, off: number, ev: NetEvent): void {
  if (end >= input.end) {
    next(input, off, ev);
    return;
  }
  const saved = input.end;
  input.end = end;
  try {
    next(input, off, ev);
  } finally {
    input.end = saved;
  }
}
