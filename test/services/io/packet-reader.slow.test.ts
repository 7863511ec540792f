/**
 * The packet reader against tshark on more captures than the unit tier:
 * cooked v2, NFLOG, raw IPv6, an ICMP error quoting UDP, UDP, a SYN/SYN-ACK,
 * a multi-interface pcapng.
 */
import { describe, it } from 'vitest';
import { checkConversation, checkFields } from './packet-tshark';

const CASES: Array<[string, number]> = [
  ['pcap/zeek__tcp_syn-synack.pcap', 2],
  ['pcap/zeek__icmp_icmp-destunreach-udp.pcap', 1],
  ['pcap/tcpdump__LINKTYPE_RAW_ipv6.pcap', 1],
  ['pcap/suricata-verify__decode-sll2-01.pcap', 1],
  ['pcap/tcpdump__nflog.pcap', 2],
  ['pcap/wireshark-wiki__chargen-udp.pcap', 2],
  ['pcapng/zeek__pcapng-multi-interface.pcapng', 5],
];

describe('readPacket against tshark, more link types and protocols', () => {
  it.each(CASES)('%s packet %i: fields and bytes', checkFields);
  it.each(CASES.filter(([rel]) => !/destunreach|nflog/.test(rel)))('%s packet %i: the conversation is what its tshark filter selects', checkConversation);
});
