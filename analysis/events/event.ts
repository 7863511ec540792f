/**
 * The normalised event: one per packet of a capture or per record of a log.
 * Every reader in analysis/ingest produces these, so detectors never care
 * whether the evidence was a pcapng, an argus report or a firewall log.
 *
 * Plain data only (no classes, no functions): events cross process
 * boundaries by structured clone and are stored in SQLite as JSON.
 */

/** TCP flag bits as on the wire (RFC 9293 §3.1, plus ECE/CWR from RFC 3168). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

/** IP protocol numbers we name (IANA "Assigned Internet Protocol Numbers"). */
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;

/** Where an event came from, precise enough to quote it in a reply. */
export interface EvidenceSource {
  /** The file name as the operator knows it (not a full path when avoidable). */
  file: string;
  /** 1-based packet number for captures, as tshark/Wireshark number them. */
  packet?: number;
  /** 1-based line number for text evidence. */
  line?: number;
  /** Byte offset of the record (packet header or line start) in the file. */
  offset: number;
}

/** The header an ICMP error quotes: it tells whose packet provoked the error (RFC 792). */
export interface QuotedHeader {
  src: string;
  dst: string;
  proto: number;
  sport?: number;
  dport?: number;
  tcpFlags?: number;
}

export interface IcmpInfo {
  type: number;
  code: number;
  /** Echo identifier/sequence for echo request/reply. */
  id?: number;
  seq?: number;
  /** Present on error messages (unreachable, time exceeded, ...). */
  quoted?: QuotedHeader;
}

export interface FragmentInfo {
  /** Offset of this fragment's data in the original datagram, in bytes. */
  offset: number;
  more: boolean;
  /** IPv4 identification or IPv6 fragment header identification. */
  id: number;
}

/** Counters for records that summarise a whole flow (argus, Zeek conn.log). */
export interface FlowRecordInfo {
  /** Packets and bytes from `src` to `dst` and back. */
  pktsOut: number;
  pktsIn: number;
  bytesOut: number;
  bytesIn: number;
  /** State as the tool wrote it: argus `sSEFC`, `RST`, `CON`; Zeek `conn_state` and `history`. */
  state?: string;
  history?: string;
  durationUs?: number;
  /** Direction marker as written by argus (`->`, `<-`, `<|`, `|>`, `o>`, `?>`, ...). */
  direction?: string;
  /**
   * True when pktsIn/bytesIn are unknown, not zero: the tool gave only totals (ra's TotPkts/TotBytes),
   * or the record is one direction of a NetFlow/IPFIX flow whose other direction, if any, is another record.
   */
  totalsOnly?: boolean;
  /** NetFlow/IPFIX: the OR of the TCP flags of every packet in the record; which packet carried which is unknown. */
  tcpFlags?: number;
  /** NetFlow/IPFIX: the source's IP ToS byte (DSCP and ECN) as the exporter recorded it. */
  tos?: number;
  /**
   * The counts are estimates scaled up from sampled packets (nfcapd multiplies by the exporter's
   * rate): `samplingRate` is N of 1-in-N when known.
   */
  sampled?: boolean;
  samplingRate?: number;
}

export type EventKind = 'packet' | 'flow' | 'alert' | 'log';

export interface NetEvent {
  kind: EventKind;
  /** Time in microseconds since the Unix epoch, UTC. */
  ts: number;
  /** Sub-microsecond remainder in nanoseconds (0-999) for nanosecond captures. */
  tsNanos?: number;
  /** True when the record lacked a year or a zone and the time was resolved from the caller's reference. */
  timeInferred?: boolean;

  src?: string;
  dst?: string;
  /**
   * The IPv4 source and destination as 32-bit numbers, set by the IPv4
   * decoder (absent for IPv6 and for text records): tables that key on
   * addresses read them instead of parsing `src` and `dst` at every packet.
   */
  src4?: number;
  dst4?: number;
  /** Ports are absent (not 0) when unknown, e.g. on a non-first fragment. */
  sport?: number;
  dport?: number;
  /** IP protocol number. */
  proto?: number;
  ipVersion?: 4 | 6;

  tcpFlags?: number;
  seq?: number;
  ack?: number;
  window?: number;
  /** TCP option kinds in wire order, e.g. "mss,sackOK,ts,nop,wscale". */
  tcpOptions?: string;
  mss?: number;

  ttl?: number;
  ipId?: number;
  /** Length on the wire (original length) for packets; IP total length for logs. */
  length?: number;
  /** Transport payload length (bytes after the TCP/UDP header). */
  payloadLength?: number;
  /**
   * First bytes of the transport payload (at most PAYLOAD_KEEP). From a
   * decoder it is a view into the read buffer, valid while the sink runs:
   * whoever keeps the event calls `ownPayload` first.
   */
  payload?: Uint8Array;

  fragment?: FragmentInfo;
  icmp?: IcmpInfo;

  srcMac?: string;
  dstMac?: string;
  vlan?: number[];

  flow?: FlowRecordInfo;
  /** Alert or log message (Snort msg, scanlogd summary, fail2ban action). */
  message?: string;
  /** Rule identifier for IDS alerts, e.g. "1:2001219:20". */
  rule?: string;
  /** Number of ports or attempts a log record summarises (scanlogd, fail2ban). */
  count?: number;
  /** Ports a summary record lists (scanlogd). */
  ports?: number[];

  source: EvidenceSource;
  /** The text line as written, for text evidence (trimmed to 300 characters). */
  raw?: string;
}

/** Protocol name for display. */
export function protoName(proto: number | undefined): string {
  switch (proto) {
    case IPPROTO_TCP: return 'tcp';
    case IPPROTO_UDP: return 'udp';
    case IPPROTO_ICMP: return 'icmp';
    case IPPROTO_ICMPV6: return 'icmp6';
    case undefined: return '?';
    default: return `ip-proto-${proto}`;
  }
}

const FLAG_LETTERS: Array<[number, string]> = [
  [TCP_SYN, 'S'], [TCP_FIN, 'F'], [TCP_RST, 'R'], [TCP_PSH, 'P'],
  [TCP_ACK, '.'], [TCP_URG, 'U'], [TCP_ECE, 'E'], [TCP_CWR, 'W'],
];

/** Flags in tcpdump's notation: `S`, `S.` (SYN-ACK), `R.`, `F.`, `P.`, `.` for a bare ACK, `none`. */
export function flagString(flags: number | undefined): string {
  if (flags === undefined) return '';
  if (flags === 0) return 'none';
  let s = '';
  for (const [bit, letter] of FLAG_LETTERS) if (flags & bit) s += letter;
  return s;
}

/** Flags in words, for replies read by people: "SYN-ACK", "RST-ACK", "FIN". */
export function flagWords(flags: number | undefined): string {
  if (flags === undefined) return '';
  if (flags === 0) return 'no flags (NULL)';
  const names: string[] = [];
  if (flags & TCP_SYN) names.push('SYN');
  if (flags & TCP_FIN) names.push('FIN');
  if (flags & TCP_RST) names.push('RST');
  if (flags & TCP_PSH) names.push('PSH');
  if (flags & TCP_URG) names.push('URG');
  if (flags & TCP_ACK) names.push('ACK');
  if (flags & TCP_ECE) names.push('ECE');
  if (flags & TCP_CWR) names.push('CWR');
  return names.join('-');
}

/**
 * Give a kept event its own copy of the payload. Decoders hand out views into
 * read buffers that are reused (services/io/file-source.ts), so an event held
 * past the sink's call would otherwise see another packet's bytes later.
 */
export function ownPayload<E extends NetEvent>(ev: E): E {
  if (ev.payload) ev.payload = ev.payload.slice();
  return ev;
}
