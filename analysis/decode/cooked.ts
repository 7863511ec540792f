import { macAt, type Decoder } from './decode-context';
import { etherTypeDecoders } from './dispatch';

const ARPHRD_ETHER = 1;

/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 16 bytes): packet type (0-1),
 * ARPHRD type (2-3), address length (4-5), address (6-13), protocol (14-15).
 * The address is the sender's link-layer address.
 */
export const decodeSll: Decoder = (input, off, ev) => {
  if (input.end - off < 16) {
    input.weird('truncated_sll', 'frame shorter than a Linux cooked header');
    return;
  }
  const v = input.view;
  const hatype = v.getUint16(off + 2);
  const alen = v.getUint16(off + 4);
  if (hatype === ARPHRD_ETHER && alen === 6) ev.srcMac = macAt(input.bytes, off + 6);
  etherTypeDecoders.get(v.getUint16(off + 14))?.(input, off + 16, ev);
};

/**
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 20 bytes): protocol (0-1),
 * reserved (2-3), interface index (4-7), ARPHRD type (8-9), packet type (10),
 * address length (11), address (12-19).
 */
export const decodeSll2: Decoder = (input, off, ev) => {
  if (input.end - off < 20) {
    input.weird('truncated_sll2', 'frame shorter than a Linux cooked v2 header');
    return;
  }
  const v = input.view;
  const hatype = v.getUint16(off + 8);
  const alen = input.bytes[off + 11];
  if (hatype === ARPHRD_ETHER && alen === 6) ev.srcMac = macAt(input.bytes, off + 12);
  etherTypeDecoders.get(v.getUint16(off))?.(input, off + 20, ev);
};
