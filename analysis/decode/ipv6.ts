import { ipv6At, withEnd, type Decoder } from './decode-context';
import { ipProtoDecoders } from './dispatch';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const ESP = 50;
const AH = 51;
const NO_NEXT = 59;
const DEST_OPTS = 60;
const MOBILITY = 135;

/**
 * IPv6 (RFC 8200 §3): version/class/flow (0-3), payload length (4-5), next
 * header (6), hop limit (7), source (8-23), destination (24-39), then the
 * extension header chain (§4) up to the transport.
 */
export const decodeIpv6: Decoder = (input, off, ev) => {
  const b = input.bytes;
  const v = input.view;
  if (input.end - off < 40) {
    input.weird('truncated_ipv6_header', 'packet cut inside the IPv6 header');
    return;
  }
  if (b[off] >> 4 !== 6) {
    input.weird('bad_ipv6_header', `IPv6 header with version ${b[off] >> 4}`);
    return;
  }
  ev.ipVersion = 6;
  ev.ttl = b[off + 7];
  ev.src = ipv6At(b, off + 8);
  ev.dst = ipv6At(b, off + 24);
  const payloadLen = v.getUint16(off + 4);
  const ipEnd = payloadLen > 0 ? Math.min(input.end, off + 40 + payloadLen) : input.end;
  let next = b[off + 6];
  let p = off + 40;
  for (let hops = 0; hops < 16; hops++) {
    if (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTS || next === MOBILITY) {
      if (ipEnd - p < 8) break;
      const len = (b[p + 1] + 1) * 8;
      next = b[p];
      p += len;
      continue;
    }
    if (next === AH) {
      if (ipEnd - p < 8) break;
      const len = (b[p + 1] + 2) * 4;
      next = b[p];
      p += len;
      continue;
    }
    if (next === FRAGMENT) {
      // RFC 8200 §4.5: next header (0), reserved (1), offset<<3 | M (2-3), identification (4-7).
      if (ipEnd - p < 8) break;
      const fo = v.getUint16(p + 2);
      const fragOffset = fo & 0xfff8;
      ev.fragment = { offset: fragOffset, more: (fo & 1) === 1, id: v.getUint32(p + 4) };
      ev.ipId = ev.fragment.id;
      next = b[p];
      p += 8;
      if (fragOffset > 0) {
        ev.proto = next;
        return;
      }
      continue;
    }
    break;
  }
  ev.proto = next;
  if (next === ESP || next === NO_NEXT) return;
  if (p > ipEnd) {
    input.weird('truncated_ipv6_ext', 'packet cut inside an IPv6 extension header');
    return;
  }
  const dec = ipProtoDecoders.get(next);
  if (dec) withEnd(input, ipEnd, dec, p, ev);
};
