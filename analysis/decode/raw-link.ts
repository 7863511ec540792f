import { withEnd, type Decoder } from './decode-context';
import { etherTypeDecoders } from './dispatch';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;

/** LINKTYPE_RAW (101): the frame is an IP packet; the version nibble says which. */
export const decodeRawIp: Decoder = (input, off, ev) => {
  if (input.end - off < 1) return;
  const version = input.bytes[off] >> 4;
  const type = version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : 0;
  if (!type) {
    input.weird('bad_ip_version', `raw IP frame with version ${version}`);
    return;
  }
  etherTypeDecoders.get(type)?.(input, off, ev);
};

export const decodeIpv4Link: Decoder = (input, off, ev) => etherTypeDecoders.get(ETHERTYPE_IPV4)?.(input, off, ev);
export const decodeIpv6Link: Decoder = (input, off, ev) => etherTypeDecoders.get(ETHERTYPE_IPV6)?.(input, off, ev);

// BSD address families: AF_INET is 2 everywhere; AF_INET6 differs by OS (24 NetBSD/OpenBSD, 28 FreeBSD, 30 Darwin, 10 Linux).
const AF_INET6 = new Set([10, 24, 28, 30]);

/**
 * LINKTYPE_NULL (0): a 4-byte address family in the byte order of the
 * machine that captured; LINKTYPE_LOOP (108) has it in network order.
 * We accept either order by looking at which end is non-zero.
 */
export const decodeNull: Decoder = (input, off, ev) => {
  if (input.end - off < 4) {
    input.weird('truncated_null', 'frame shorter than a loopback header');
    return;
  }
  const v = input.view;
  const le = v.getUint32(off, true);
  const family = le <= 0xffff ? le : v.getUint32(off, false);
  if (family === 2) etherTypeDecoders.get(ETHERTYPE_IPV4)?.(input, off + 4, ev);
  else if (AF_INET6.has(family)) etherTypeDecoders.get(ETHERTYPE_IPV6)?.(input, off + 4, ev);
};

const NFULA_PAYLOAD = 9;

/**
 * LINKTYPE_NFLOG (239): a 4-byte header (family, version, resource id) then
 * TLVs whose length and type are in host byte order (little-endian on the
 * machines that write these); NFULA_PAYLOAD carries the IP packet.
 */
export const decodeNflog: Decoder = (input, off, ev) => {
  if (input.end - off < 4) return;
  const family = input.bytes[off];
  let p = off + 4;
  while (p + 4 <= input.end) {
    const len = input.view.getUint16(p, true);
    const type = input.view.getUint16(p + 2, true) & 0x7fff;
    if (len < 4) {
      input.weird('bad_nflog_tlv', `NFLOG TLV with length ${len}`);
      return;
    }
    if (type === NFULA_PAYLOAD) {
      const next = etherTypeDecoders.get(family === 10 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
      if (next) withEnd(input, Math.min(input.end, p + len), next, p + 4, ev);
      return;
    }
    p += (len + 3) & ~3;
  }
};
