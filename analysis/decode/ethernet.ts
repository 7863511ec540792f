import { macAt, type Decoder } from './decode-context';
import { etherTypeDecoders } from './dispatch';

/** IEEE 802.3 Ethernet II: dst MAC (0-5), src MAC (6-11), EtherType (12-13). */
export const decodeEthernet: Decoder = (input, off, ev) => {
  if (input.end - off < 14) {
    input.weird('truncated_ethernet', 'frame shorter than an Ethernet header');
    return;
  }
  ev.dstMac = macAt(input.bytes, off);
  ev.srcMac = macAt(input.bytes, off + 6);
  const type = input.view.getUint16(off + 12);
  // Values up to 1500 are an 802.3 length field (LLC frames: STP, CDP, IPX): not IP.
  if (type <= 1500) return;
  etherTypeDecoders.get(type)?.(input, off + 14, ev);
};

/** IEEE 802.1Q / 802.1ad tag: TCI (2 bytes, VLAN id in the low 12 bits) then the inner EtherType. */
export const decodeVlan: Decoder = (input, off, ev) => {
  if (input.end - off < 4) {
    input.weird('truncated_vlan', 'frame cut inside a VLAN tag');
    return;
  }
  const vid = input.view.getUint16(off) & 0x0fff;
  (ev.vlan ??= []).push(vid);
  const type = input.view.getUint16(off + 2);
  if (type <= 1500) return;
  etherTypeDecoders.get(type)?.(input, off + 4, ev);
};
