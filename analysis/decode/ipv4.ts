import { ipv4Text, ipv4ValueAt, withEnd, type Decoder } from './decode-context';
import { ipProtoDecoders } from './dispatch';

/**
 * IPv4 (RFC 791 §3.1): version/IHL (0), TOS (1), total length (2-3), id (4-5),
 * flags + fragment offset (6-7), TTL (8), protocol (9), checksum (10-11),
 * source (12-15), destination (16-19), options up to IHL*4.
 */
export const decodeIpv4: Decoder = (input, off, ev) => {
  const b = input.bytes;
  const v = input.view;
  if (input.end - off < 20) {
    input.weird('truncated_ipv4_header', 'packet cut inside the IPv4 header');
    return;
  }
  const ihl = (b[off] & 0x0f) * 4;
  if (b[off] >> 4 !== 4 || ihl < 20) {
    input.weird('bad_ipv4_header', `IPv4 header with version ${b[off] >> 4} and length ${ihl}`);
    return;
  }
  const total = v.getUint16(off + 2);
  ev.ipVersion = 4;
  ev.ipId = v.getUint16(off + 4);
  ev.ttl = b[off + 8];
  ev.proto = b[off + 9];
  const src4 = ipv4ValueAt(b, off + 12);
  const dst4 = ipv4ValueAt(b, off + 16);
  ev.src4 = src4;
  ev.dst4 = dst4;
  ev.src = ipv4Text(src4);
  ev.dst = ipv4Text(dst4);
  const frag = v.getUint16(off + 6);
  const more = (frag & 0x2000) !== 0;
  const fragOffset = (frag & 0x1fff) * 8;
  if (more || fragOffset > 0) ev.fragment = { offset: fragOffset, more, id: ev.ipId };
  // A non-first fragment carries no transport header: it has no ports (never "port 0").
  if (fragOffset > 0) return;
  // Bound the transport by the IP total length: Ethernet pads short frames.
  const ipEnd = total >= ihl ? Math.min(input.end, off + total) : input.end;
  if (off + ihl > ipEnd) {
    input.weird('truncated_ipv4_options', 'packet cut inside the IPv4 options');
    return;
  }
  const next = ipProtoDecoders.get(ev.proto);
  if (next) withEnd(input, ipEnd, next, off + ihl, ev);
};
