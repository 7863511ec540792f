import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, type NetEvent } from '../events/event';
import { decodeSll, decodeSll2 } from './cooked';
import type { DecodeInput } from './decode-context';
import { etherTypeDecoders, ipProtoDecoders, linkTypeDecoders } from './dispatch';
import { decodeEthernet, decodeVlan } from './ethernet';
import { decodeIcmp, decodeIcmpv6 } from './icmp';
import { decodeIpv4 } from './ipv4';
import { decodeIpv6 } from './ipv6';
import {
  ETHERTYPE_IPV4, ETHERTYPE_IPV6, decodeIpv4Link, decodeIpv6Link, decodeNflog, decodeNull, decodeRawIp,
} from './raw-link';
import { decodeTcp } from './tcp';
import { decodeUdp } from './udp';

// LINKTYPE_ values: https://www.tcpdump.org/linktypes.html
linkTypeDecoders.set(0, decodeNull);
linkTypeDecoders.set(1, decodeEthernet);
linkTypeDecoders.set(101, decodeRawIp);
linkTypeDecoders.set(108, decodeNull);
linkTypeDecoders.set(113, decodeSll);
linkTypeDecoders.set(228, decodeIpv4Link);
linkTypeDecoders.set(229, decodeIpv6Link);
linkTypeDecoders.set(239, decodeNflog);
linkTypeDecoders.set(276, decodeSll2);

etherTypeDecoders.set(ETHERTYPE_IPV4, decodeIpv4);
etherTypeDecoders.set(ETHERTYPE_IPV6, decodeIpv6);
etherTypeDecoders.set(0x8100, decodeVlan); // 802.1Q
etherTypeDecoders.set(0x88a8, decodeVlan); // 802.1ad (QinQ outer tag)
etherTypeDecoders.set(0x9100, decodeVlan); // pre-standard QinQ

ipProtoDecoders.set(IPPROTO_TCP, decodeTcp);
ipProtoDecoders.set(IPPROTO_UDP, decodeUdp);
ipProtoDecoders.set(IPPROTO_ICMP, decodeIcmp);
ipProtoDecoders.set(IPPROTO_ICMPV6, decodeIcmpv6);

/** True when we have a decoder for this link type. */
export function knownLinkType(linkType: number): boolean {
  return linkTypeDecoders.has(linkType);
}

/** Decode one frame into `ev`, starting from its link-layer header. */
export function decodeFrame(linkType: number, input: DecodeInput, ev: NetEvent): void {
  linkTypeDecoders.get(linkType)?.(input, 0, ev);
}
