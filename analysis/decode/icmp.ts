import { IPPROTO_TCP, IPPROTO_UDP, type QuotedHeader } from '../events/event';
import { ipv4At, ipv6At, PAYLOAD_KEEP, type ByteView, type Decoder } from './decode-context';

/** ICMP error types that quote the offending packet (RFC 792, RFC 1812 §4.3.2.3). */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMP_ECHO = new Set([0, 8]);

/** ICMP (RFC 792): type (0), code (1), checksum (2-3), then type-specific data. */
export const decodeIcmp: Decoder = (input, off, ev) => {
  const avail = input.end - off;
  if (avail < 2) {
    input.weird('truncated_icmp', 'packet cut inside the ICMP header');
    return;
  }
  const type = input.bytes[off];
  const code = input.bytes[off + 1];
  ev.icmp = { type, code };
  ev.payloadLength = Math.max(0, avail - 8);
  if (ICMP_ECHO.has(type) && avail >= 8) {
    ev.icmp.id = input.view.getUint16(off + 4);
    ev.icmp.seq = input.view.getUint16(off + 6);
    // The echo data is the pinger's fingerprint (Welchia fills it with 0xAA).
    if (avail > 8) ev.payload = input.bytes.subarray(off + 8, Math.min(input.end, off + 8 + PAYLOAD_KEEP));
  }
  // The quoted IP header plus 8 bytes says whose packet provoked the error.
  if (ICMP_ERRORS.has(type) && avail >= 8 + 20) ev.icmp.quoted = quotedIpv4(input.bytes, input.view, off + 8, input.end);
};

function quotedIpv4(b: Uint8Array, v: ByteView, p: number, end: number): QuotedHeader | undefined {
  if (b[p] >> 4 !== 4) return undefined;
  const ihl = (b[p] & 0x0f) * 4;
  const q: QuotedHeader = { src: ipv4At(b, p + 12), dst: ipv4At(b, p + 16), proto: b[p + 9] };
  addQuotedPorts(b, v, p + ihl, end, q);
  return q;
}

function addQuotedPorts(b: Uint8Array, v: ByteView, t: number, end: number, q: QuotedHeader): void {
  if ((q.proto === IPPROTO_TCP || q.proto === IPPROTO_UDP) && t + 4 <= end) {
    q.sport = v.getUint16(t);
    q.dport = v.getUint16(t + 2);
    if (q.proto === IPPROTO_TCP && t + 14 <= end) q.tcpFlags = b[t + 13];
  }
}

/** ICMPv6 error types 1-4 quote the offending packet (RFC 4443 §3). */
export const decodeIcmpv6: Decoder = (input, off, ev) => {
  const avail = input.end - off;
  if (avail < 2) {
    input.weird('truncated_icmp6', 'packet cut inside the ICMPv6 header');
    return;
  }
  const type = input.bytes[off];
  ev.icmp = { type, code: input.bytes[off + 1] };
  ev.payloadLength = Math.max(0, avail - 8);
  if ((type === 128 || type === 129) && avail >= 8) {
    ev.icmp.id = input.view.getUint16(off + 4);
    ev.icmp.seq = input.view.getUint16(off + 6);
    if (avail > 8) ev.payload = input.bytes.subarray(off + 8, Math.min(input.end, off + 8 + PAYLOAD_KEEP));
  }
  const p = off + 8;
  if (type >= 1 && type <= 4 && input.end - p >= 40 && input.bytes[p] >> 4 === 6) {
    const q: QuotedHeader = { src: ipv6At(input.bytes, p + 8), dst: ipv6At(input.bytes, p + 24), proto: input.bytes[p + 6] };
    addQuotedPorts(input.bytes, input.view, p + 40, input.end, q);
    ev.icmp.quoted = q;
  }
};
