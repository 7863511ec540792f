import { ipv4ValueAt } from '../../decode/decode-context';
import { ipv4Value } from '../../util/ipv4-value';

/**
 * The frames a case's analysis would drop unseen, told from their bytes
 * before any decoding. A case looks only at events from or to its own
 * addresses (the accused, the complainant); on a border capture that is a
 * few packets in a hundred, and decoding the rest into events was most of
 * what reading cost. An IPv4 packet in an Ethernet II, Linux cooked (v1) or
 * raw-IP frame (behind up to two VLAN tags) has its addresses at fixed
 * places: when neither is one of the case's, the IPv4 decoder would give
 * the event those same addresses and the case would drop it. Anything else
 * (IPv6, other link layers, a frame too short for an IPv4 header) is
 * decoded as before.
 *
 * What is not decoded is not inspected either: a malformed header in a
 * packet between two other hosts is not reported by `analyze` (`inspect`
 * still reads every packet).
 */
export class AddressPrefilter {
  private readonly ours: Uint32Array;

  /** `addresses`: the case's addresses as text; the IPv4 ones in canonical dotted form are the ones compared. */
  constructor(addresses: readonly string[]) {
    const values: number[] = [];
    for (const a of addresses) {
      const v = ipv4Value(a);
      if (v >= 0) values.push(v);
    }
    this.ours = Uint32Array.from(values);
  }

  /**
   * True when the frame, `bytes[start..end)`, is an IPv4 packet whose source
   * and destination are both outside the case. Read in the framer's buffer:
   * no view is made of a frame that is dropped.
   */
  skips(linkType: number, bytes: Uint8Array, start: number, end: number): boolean {
    const ip = ipv4Offset(linkType, bytes, start, end);
    if (ip < 0 || end < ip + 20 || bytes[ip] >> 4 !== 4) return false;
    const src = ipv4ValueAt(bytes, ip + 12);
    const dst = ipv4ValueAt(bytes, ip + 16);
    const ours = this.ours;
    for (let i = 0; i < ours.length; i++) if (ours[i] === src || ours[i] === dst) return false;
    return true;
  }
}

const ETHERTYPE_IPV4 = 0x0800;
/** The tag types the Ethernet decoder reads through (registry.ts): 802.1Q, 802.1ad, pre-standard QinQ. */
const VLAN_TYPES: ReadonlySet<number> = new Set([0x8100, 0x88a8, 0x9100]);

/** Where the IPv4 header of the frame `bytes[start..end)` starts, or -1 when the frame is not plainly one (see the class comment). */
function ipv4Offset(linkType: number, bytes: Uint8Array, start: number, end: number): number {
  switch (linkType) {
    case 1: { // LINKTYPE_ETHERNET: the EtherType at 12, after up to two VLAN tags (802.1Q, QinQ) of 4 bytes each
      let at = start + 12;
      for (let tags = 0; tags <= 2 && end >= at + 2; tags++) {
        const type = (bytes[at] << 8) | bytes[at + 1];
        if (type === ETHERTYPE_IPV4) return at + 2;
        if (!VLAN_TYPES.has(type)) return -1;
        at += 4;
      }
      return -1;
    }
    case 113: // LINKTYPE_LINUX_SLL: the protocol at 14
      return end - start >= 16 && ((bytes[start + 14] << 8) | bytes[start + 15]) === ETHERTYPE_IPV4 ? start + 16 : -1;
    case 101: // LINKTYPE_RAW: the version nibble says
    case 228: // LINKTYPE_IPV4
      return start;
    default:
      return -1;
  }
}
