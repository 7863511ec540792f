import { join } from 'node:path';
import { casesDir, corpusDir, filesIn, fixturesDir } from './paths';

/**
 * The captures the differential tests compare with tshark and argus: every
 * capture of the shared corpus and the example cases, and our readable
 * fixtures (the truncated and corrupt ones have their own tests).
 */
export function allCaptures(): string[] {
  return [
    ...filesIn(corpusDir, /\.(pcap|pcapng|cap)$/),
    ...filesIn(casesDir, /\.(pcap|pcapng)$/),
    ...filesIn(fixturesDir, /\.(pcap|pcapng)$/).filter((f) => !/(truncated|corrupt)/.test(f)),
  ];
}

/**
 * The unit tier's sample: one capture per reading path that can go wrong on
 * its own, small enough that the tier stays fast. The slow tier runs them all.
 */
export const differentialSample: Array<{ file: string; covers: string }> = [
  { file: join(corpusDir, 'pcap', 'zeek__ftp_bruteforce.pcap'), covers: 'pcap LE µs, Ethernet, 30 closed TCP sessions (FIN)' },
  { file: join(corpusDir, 'pcap', 'tcpdump__unaligned-nfs-1.pcap'), covers: 'pcap big-endian, midstream TCP' },
  { file: join(corpusDir, 'pcap', 'zeek__http_get-to-ssh-server.pcap'), covers: 'pcap nanosecond, TCP reset by the responder' },
  { file: join(corpusDir, 'pcap', 'tcpdump__tcp-handshake-nano.pcap'), covers: 'Linux cooked (SLL) and nanosecond times' },
  { file: join(fixturesDir, 'pcapng', 'multi-section.pcapng'), covers: 'pcapng with several sections' },
  { file: join(corpusDir, 'pcapng', 'chrissanders__http_ip4and6.pcapng'), covers: 'pcapng, IPv4 and IPv6' },
  { file: join(corpusDir, 'pcap', 'zeek__ipv6-fragmented-dns.pcap'), covers: 'IPv6 fragments' },
  { file: join(corpusDir, 'pcap', 'zeek__ipv4_fragmented-syn.pcap'), covers: 'a TCP header split over IPv4 fragments' },
  { file: join(corpusDir, 'pcap', 'ppa__evilprogram.pcap'), covers: 'port reuse: one 5-tuple, several connections' },
  { file: join(corpusDir, 'pcap', 'tcpdump__ipv6-routing-header.pcap'), covers: 'IPv6 routing header (final destination)' },
];
