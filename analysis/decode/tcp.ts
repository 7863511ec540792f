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

function parseOptions(b: Uint8Array, p: number, end: number, ev: { tcpOptions?: string; mss?: number }): void {
  const names: string[] = [];
  while (p < end) {
    const kind = b[p];
    names.push(OPTION_NAMES[kind] ?? `opt${kind}`);
    if (kind === 0) break;
    if (kind === 1) { p++; continue; }
    if (p + 1 >= end) break;
    const len = b[p + 1];
    if (len < 2) break;
    if (kind === 2 && len === 4 && p + 4 <= end) ev.mss = (b[p + 2] << 8) | b[p + 3];
    p += len;
  }
  ev.tcpOptions = names.join(',');
}
