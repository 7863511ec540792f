import type { Leaning } from '../detector';

/**
 * What crafted-packets reports, and why each kind is not something a TCP/IP
 * stack sends on its own.
 */
export type Kind = 'same-port' | 'lone-fin' | 'syn-fin' | 'null-flags' | 'all-flags' | 'ack-no-handshake' | 'port-zero' | 'fragment-port-zero';

/**
 * Findings of one source that start with the same event are listed in this
 * order: a flow record that is both a same-port and a lone-ACK record names
 * the port trick first, as the seed's analysis did.
 */
export const KIND_ORDER: readonly Kind[] = ['same-port', 'port-zero', 'fragment-port-zero', 'all-flags', 'syn-fin', 'null-flags', 'lone-fin', 'ack-no-handshake'];

export const KINDS: Record<Kind, { leaning: Leaning; strength: number; what: string; why: string }> = {
  'same-port': {
    leaning: 'compromise', strength: 0.4, what: 'TCP packets with the same source and destination port outside any handshake',
    why: 'Operating systems pick an ephemeral source port for outgoing connections; a source port equal to the destination port on a packet that '
      + 'opens nothing is set by hand, typically to slip through packet filters that trust "service" source ports.',
  },
  'lone-fin': {
    leaning: 'compromise', strength: 0.45, what: 'TCP FIN packets without ACK',
    why: 'Every FIN a real connection sends also carries ACK (RFC 9293 §3.10.7: after the handshake all segments carry ACK); a FIN without ACK is a probe '
      + '(nmap -sF / -sX) that closed ports answer with RST.',
  },
  'syn-fin': {
    leaning: 'compromise', strength: 0.5, what: 'TCP packets with SYN and FIN both set',
    why: 'SYN (open) and FIN (close) together are contradictory; no stack sends them. They are used to fingerprint systems and evade filters.',
  },
  'null-flags': {
    leaning: 'compromise', strength: 0.45, what: 'TCP packets with no flags at all',
    why: 'A TCP segment without any flag is invalid in every state (RFC 9293); it is the nmap NULL scan probe.',
  },
  'all-flags': {
    leaning: 'compromise', strength: 0.5, what: 'TCP packets with every flag set',
    why: 'All flags at once ("Christmas tree") is never sent by a TCP stack; it is a fingerprinting/evasion probe.',
  },
  'ack-no-handshake': {
    leaning: 'compromise', strength: 0.3, what: 'lone TCP ACKs to connections that were never opened',
    why: 'A bare ACK for a connection the other side does not know is answered with RST (RFC 9293 §3.10.7.1); sent on purpose it maps filters (nmap -sA). '
      + 'Counted are conversations in which our host sent only one or two bare ACKs, nothing carried data and no SYN was seen, and the other side '
      + 'answered with RST or not at all. A capture that starts in the middle of a connection shows lone ACKs too, so these are not counted: '
      + 'ACKs the other side acknowledged (it holds the connection), and unanswered ACKs in the first half second of a capture, which may '
      + 'acknowledge a segment sent before it began (a delayed ACK is due within 0.5 s, RFC 9293 §3.8.6.3). The weight stays low.',
  },
  'port-zero': {
    leaning: 'compromise', strength: 0.4, what: 'TCP/UDP packets to or from port 0 (not fragments)',
    why: 'Port 0 is reserved and no service listens on it; genuine port-0 traffic is crafted (probes, broken tools).',
  },
  'fragment-port-zero': {
    leaning: 'context', strength: 0.3, what: 'non-first IP fragments, which carry no ports',
    why: 'Only the first fragment of a fragmented datagram contains the TCP/UDP header (RFC 791); the later fragments have no ports, and IDSs and flow '
      + 'tools that show ports anyway show them as port 0. "Port 0 traffic" in a report is usually this: large datagrams (DNS over EDNS0, NFS, ICMP) split in transit.',
  },
};
