import {
  IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_SYN, type NetEvent,
} from '../../events/event';

/**
 * The requests of the other side that make our host send packets of its own,
 * and the packets of ours they ask for. One rule for all of them: a request
 * from their side, earlier in the evidence, names (or by its protocol
 * defines) a packet of ours; our packet of that description, sent within the
 * protocol's time, answers it. Each kind below is only the two descriptions:
 *
 *  - ftp-active-data: PORT h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2) or
 *    EPRT |af|addr|port| (RFC 2428 §2) on their control connection to our
 *    server asks our server to connect to addr:port; it does so from port 20
 *    (RFC 959 §3.2, L-1) when the transfer command follows.
 *  - ident-callback: a TCP connection they open to one of our services lets
 *    the service ask their identd who opened it: our connection to their
 *    port 113 (RFC 1413).
 *  - traceroute-replies: a probe that reaches us with TTL 1 (rising-TTL
 *    tools: traceroute, mtr, tcptraceroute) makes our host send ICMP time
 *    exceeded (RFC 792; RFC 1812 §4.3.2.1), and one to the traceroute ports
 *    (33434 and up) makes it send port unreachable; the error quotes the probe.
 *  - echo-replies: an ICMP echo request to our host gets an echo reply with
 *    its identifier and sequence number (RFC 792). Reported only as part of a
 *    traceroute of the same peer (mtr and traceroute -I end with echoes).
 */
export type RequestKind = 'ftp-active-data' | 'ident-callback' | 'traceroute-replies' | 'echo-replies';

/** How long after the request our answer may come: the protocol's own pace, with room for a slow peer. */
export const ANSWER_WINDOW_US: Record<RequestKind, number> = {
  // The server connects when the transfer command arrives, which clients send right after PORT.
  'ftp-active-data': 120_000_000,
  // Servers ask while the connection is being accepted and time out their ident query in seconds.
  'ident-callback': 30_000_000,
  'traceroute-replies': 5_000_000,
  'echo-replies': 5_000_000,
};

/** Traceroute's UDP destination ports: base 33434 (IANA "traceroute"), one more per probe, 30 hops of 3 probes and more. */
export const TRACEROUTE_PORTS = { first: 33434, last: 33534 };
/**
 * Traceroute stops at 30 hops by default (traceroute(8) -m, mtr -m), so its probes arrive with
 * TTL 30 or less; a UDP port scan landing in the traceroute ports arrives with its sender's 64 or 128 less the hops.
 */
export const MAX_TRACE_TTL = 30;

/** A request from their side: what our answer will look like (`key`), and which of our hosts is asked (any, for transit probes). */
export interface Request {
  kind: RequestKind;
  /** Their address: our answer goes there. */
  peer: string;
  /** Our host the request went to; undefined when any of ours may answer (a probe in transit). */
  ours?: string;
  key: string;
  /** The command as they wrote it (FTP), for the reply. */
  text?: string;
}

/** A packet of ours that starts something toward them (what a scan detector would count), with the request it would answer. */
export interface Opening {
  ours: string;
  peer: string;
  /** Undefined when nothing they could ask for looks like it (a FIN probe, an error quoting someone else). */
  key?: string;
  /** The kind whose answers look like this packet, whether or not a request is found. */
  shape?: RequestKind;
}

const latin1 = new TextDecoder('latin1');

/**
 * "PORT " or "EPRT " in any case, read from the bytes: every TCP packet to our
 * hosts is asked, and decoding each payload to text first was a tenth of the
 * analysis of a busy capture.
 */
function startsWithDataPortVerb(b: Uint8Array): boolean {
  // ASCII letters only: OR-ing 0x20 lowers them, and only 'P'/'p' become 'p'.
  const c0 = b[0] | 0x20, c1 = b[1] | 0x20, c2 = b[2] | 0x20, c3 = b[3] | 0x20;
  return b[4] === 0x20 && c2 === 0x72 && c3 === 0x74 && ((c0 === 0x70 && c1 === 0x6f) || (c0 === 0x65 && c1 === 0x70));
}

/** "PORT 203,0,113,5,178,83" or "EPRT |1|203.0.113.5|34865|" (any delimiter, RFC 2428 §2), as address and port. */
export function parseDataPortCommand(payload: Uint8Array | undefined): { addr: string; port: number; text: string } | undefined {
  if (!payload || payload.length < 10 || !startsWithDataPortVerb(payload)) return undefined;
  const line = latin1.decode(payload).split(/\r?\n/)[0];
  const port = /^PORT (\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})\s*$/i.exec(line);
  if (port) {
    const n = port.slice(1).map(Number);
    if (n.some((x) => x > 255)) return undefined;
    return { addr: n.slice(0, 4).join('.'), port: n[4] * 256 + n[5], text: line.trim() };
  }
  const eprt = /^EPRT ([\x21-\x7e])([12])\1([^\s]+?)\1(\d{1,5})\1\s*$/i.exec(line);
  if (!eprt) return undefined;
  const p = Number(eprt[4]);
  if (p === 0 || p > 65535) return undefined;
  const addr = eprt[2] === '1' ? eprt[3] : eprt[3].toLowerCase();
  if (eprt[2] === '1' ? !/^\d{1,3}(\.\d{1,3}){3}$/.test(addr) : !addr.includes(':')) return undefined;
  return { addr, port: p, text: line.trim() };
}

function isMulticastOrBroadcast(a: string): boolean {
  if (a.includes(':')) return a.toLowerCase().startsWith('ff');
  const first = Number(a.split('.')[0]);
  return (first >= 224 && first <= 239) || a === '255.255.255.255';
}

const quotedKey = (proto: number | undefined, sport: number | undefined, dport: number | undefined, dst: string): string =>
  `q ${proto ?? '-'} ${sport ?? '-'} ${dport ?? '-'} ${dst}`;

const isEchoRequest = (e: NetEvent): boolean =>
  (e.proto === IPPROTO_ICMP && e.icmp?.type === 8) || (e.proto === IPPROTO_ICMPV6 && e.icmp?.type === 128);
const isEchoReply = (e: NetEvent): boolean =>
  (e.proto === IPPROTO_ICMP && e.icmp?.type === 0) || (e.proto === IPPROTO_ICMPV6 && e.icmp?.type === 129);
/** Errors that quote the packet they answer: unreachable, time exceeded, parameter problem (v4 and v6). */
const isQuotingError = (e: NetEvent): boolean =>
  (e.proto === IPPROTO_ICMP && (e.icmp?.type === 3 || e.icmp?.type === 11 || e.icmp?.type === 12))
  || (e.proto === IPPROTO_ICMPV6 && (e.icmp?.type === 1 || e.icmp?.type === 3 || e.icmp?.type === 4));

/** The requests a packet from their side makes of ours (`isOurs`: the addresses we answer for). */
export function requestsOf(e: NetEvent & { src: string; dst: string }, isOurs: (a: string) => boolean): Request[] {
  if (isOurs(e.src)) return [];
  const out: Request[] = [];
  const toUs = isOurs(e.dst);
  if (toUs && e.proto === IPPROTO_TCP && e.tcpFlags !== undefined) {
    const cmd = parseDataPortCommand(e.payload);
    // Only a data connection back to the address that asked: PORT naming someone else is the
    // FTP bounce attack (RFC 2577 §2), which no complaint of theirs should be excused by.
    if (cmd && cmd.addr === e.src) out.push({ kind: 'ftp-active-data', peer: e.src, ours: e.dst, key: `tcp>${cmd.port}`, text: cmd.text });
    if ((e.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && e.dport !== 113) {
      out.push({ kind: 'ident-callback', peer: e.src, ours: e.dst, key: 'tcp>113' });
    }
  }
  if (toUs && isEchoRequest(e) && e.icmp?.id !== undefined) {
    out.push({ kind: 'echo-replies', peer: e.src, ours: e.dst, key: `echo ${e.icmp.id} ${e.icmp.seq ?? '-'}` });
  }
  const lowTtl = e.ttl !== undefined && e.ttl <= 1 && (e.proto === IPPROTO_UDP || e.proto === IPPROTO_TCP || isEchoRequest(e));
  const tracePort = toUs && e.proto === IPPROTO_UDP && e.dport !== undefined && e.ttl !== undefined && e.ttl <= MAX_TRACE_TTL
    && e.dport >= TRACEROUTE_PORTS.first && e.dport <= TRACEROUTE_PORTS.last;
  // Multicast and broadcast go out with TTL 1 on purpose (IGMP, mDNS, SSDP): they probe nothing.
  if ((lowTtl || tracePort) && !isMulticastOrBroadcast(e.dst)) {
    const icmpProbe = e.proto === IPPROTO_ICMP || e.proto === IPPROTO_ICMPV6;
    out.push({
      kind: 'traceroute-replies', peer: e.src, ours: toUs ? e.dst : undefined,
      key: quotedKey(e.proto, icmpProbe ? undefined : e.sport, icmpProbe ? undefined : e.dport, e.dst),
    });
  }
  return out;
}

/** A packet of ours that opens something toward them, or undefined for anything else (answers within their own connections). */
export function openingOf(e: NetEvent & { src: string; dst: string }, isOurs: (a: string) => boolean): Opening | undefined {
  if (!isOurs(e.src) || isOurs(e.dst)) return undefined;
  const ours = e.src, peer = e.dst;
  // Plain literals, no spreads: this runs for every packet of ours.
  if (e.proto === IPPROTO_TCP && e.tcpFlags !== undefined) {
    // No ACK: not part of a connection they opened (SYN, or a stealth probe).
    if (e.tcpFlags & TCP_ACK) return undefined;
    if (!(e.tcpFlags & TCP_SYN)) return { ours, peer };
    const shape: RequestKind | undefined = e.dport === 113 ? 'ident-callback' : e.sport === 20 ? 'ftp-active-data' : undefined;
    return { ours, peer, key: `tcp>${e.dport}`, shape };
  }
  if (isEchoReply(e) && e.icmp?.id !== undefined) return { ours, peer, key: `echo ${e.icmp.id} ${e.icmp.seq ?? '-'}`, shape: 'echo-replies' };
  if (isQuotingError(e)) {
    const q = e.icmp?.quoted;
    // An error goes back to the source of what it quotes: quoting anyone else, it answers nothing of theirs.
    if (!q || q.src !== e.dst) return { ours, peer, shape: 'traceroute-replies' };
    return { ours, peer, key: quotedKey(q.proto, q.sport, q.dport, q.dst), shape: 'traceroute-replies' };
  }
  return undefined;
}
