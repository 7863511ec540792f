import { PAYLOAD_KEEP, type Decoder } from './decode-context';

const OPTION_NAMES: Record<number, string> = {
  0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 8: 'ts', 30: 'mptcp', 34: 'tfo',
};

/**
 * TCP (RFC 9293 §3.1): ports (0-3), sequence (4-7), acknowledgment (8-11),
 * data offset (12, high nibble), flags (13), window (14-15), checksum,
 * urgent pointer, options up to the data offset.
 */
export const decodeTcp: Decoder = (input, off, ev) => {
  const v = input.view;
  const b = input.bytes;
  const avail = input.end - off;
  // Ports come first: a packet cut at 4 bytes still tells who talked to whom.
  if (avail < 4) {
    input.weird('truncated_tcp_header', 'packet cut before the TCP ports');
    return;
  }
  ev.sport = v.getUint16(off);
  ev.dport = v.getUint16(off + 2);
  if (avail < 14) {
    input.weird('truncated_tcp_header', 'packet cut inside the TCP header');
    return;
  }
  ev.seq = v.getUint32(off + 4);
  ev.ack = v.getUint32(off + 8);
  const hlen = (b[off + 12] >> 4) * 4;
  ev.tcpFlags = b[off + 13];
  if (avail < 16) return;
  ev.window = v.getUint16(off + 14);
  if (hlen < 20) {
    input.weird('bad_tcp_header', `TCP data offset ${hlen} below 20`);
    return;
  }
  const optEnd = Math.min(off + hlen, input.end);
  if (hlen > 20 && optEnd > off + 20) parseOptions(b, off + 20, optEnd, ev);
  const dataStart = off + hlen;
  if (dataStart <= input.end) {
    ev.payloadLength = input.end - dataStart;
    if (ev.payloadLength > 0) ev.payload = b.subarray(dataStart, Math.min(input.end, dataStart + PAYLOAD_KEEP));
  }
};

/** Option kinds of the packet being decoded, in wire order (a TCP header holds at most 40 option bytes). */
const kinds = new Uint8Array(40);
/** Option text by kind sequence, direct-mapped: a capture has few layouts, and each packet's would be a joined array. */
const OPTION_BITS = 8;
const OPTION_SLOTS = 1 << OPTION_BITS;
const layoutKeys = new Float64Array(OPTION_SLOTS).fill(-1);
const layoutTexts: string[] = new Array<string>(OPTION_SLOTS).fill('');
/** Up to this many kinds make an exact key (8 bits each, and the count). */
const KEYED_KINDS = 6;

function parseOptions(b: Uint8Array, p: number, end: number, ev: { tcpOptions?: string; mss?: number }): void {
  let n = 0;
  let key = 0;
  while (p < end) {
    const kind = b[p];
    kinds[n++] = kind;
    if (n <= KEYED_KINDS) key = key * 256 + kind;
    if (kind === 0) break;
    if (kind === 1) { p++; continue; }
    if (p + 1 >= end) break;
    const len = b[p + 1];
    if (len < 2) break;
    if (kind === 2 && len === 4 && p + 4 <= end) ev.mss = (b[p + 2] << 8) | b[p + 3];
    p += len;
  }
  if (n > KEYED_KINDS) { ev.tcpOptions = optionText(n); return; }
  const exact = key * 8 + n;
  // The slot from the exact key itself (below 2^51): its two 32-bit halves mixed, the top bits taken.
  const slot = Math.imul((exact >>> 0) ^ Math.floor(exact / 0x100000000), 0x9e3779b1) >>> (32 - OPTION_BITS);
  if (layoutKeys[slot] !== exact) {
    layoutKeys[slot] = exact;
    layoutTexts[slot] = optionText(n);
  }
  ev.tcpOptions = layoutTexts[slot];
}

function optionText(n: number): string {
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(OPTION_NAMES[kinds[i]] ?? `opt${kinds[i]}`);
  return names.join(',');
}
