import { PAYLOAD_KEEP, type Decoder } from './decode-context';

/** UDP (RFC 768): source port, destination port, length, checksum; 8 bytes. */
export const decodeUdp: Decoder = (input, off, ev) => {
  const v = input.view;
  const avail = input.end - off;
  if (avail < 4) {
    input.weird('truncated_udp_header', 'packet cut before the UDP ports');
    return;
  }
  ev.sport = v.getUint16(off);
  ev.dport = v.getUint16(off + 2);
  if (avail < 8) return;
  const len = v.getUint16(off + 4);
  // The UDP length field is authoritative for the payload (a first fragment holds only part of it).
  ev.payloadLength = len >= 8 ? len - 8 : Math.max(0, avail - 8);
  if (avail > 8) ev.payload = input.bytes.subarray(off + 8, Math.min(input.end, off + 8 + PAYLOAD_KEEP));
};
