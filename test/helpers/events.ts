import {
  IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG,
  type FragmentInfo, type NetEvent,
} from '../../analysis/events/event';

/**
 * Small builders for synthetic events. Times are given in seconds (float) for
 * readability and stored in microseconds; packet numbers count up per file.
 */
let packetNo = 0;
export function resetPacketNumbers(): void {
  packetNo = 0;
}

/** Flag letters as tcpdump prints them: "S", "SA", "R", "RA", "F", "FPU", "" (NULL), "A". */
export function flags(letters: string): number {
  let f = 0;
  for (const c of letters.toUpperCase()) {
    if (c === 'S') f |= TCP_SYN;
    else if (c === 'A' || c === '.') f |= TCP_ACK;
    else if (c === 'F') f |= TCP_FIN;
    else if (c === 'R') f |= TCP_RST;
    else if (c === 'P') f |= TCP_PSH;
    else if (c === 'U') f |= TCP_URG;
  }
  return f;
}

export interface PacketSpec {
  src: string;
  dst: string;
  /** Seconds since the epoch; default 1_700_000_000 + packet index / 1000. */
  ts?: number;
  sport?: number;
  dport?: number;
  payloadLength?: number;
  payload?: Uint8Array;
  ttl?: number;
  length?: number;
  fragment?: FragmentInfo;
  file?: string;
}

const BASE = 1_700_000_000;

function base(spec: PacketSpec, proto: number): NetEvent {
  packetNo++;
  const ts = Math.round((spec.ts ?? BASE + packetNo / 1000) * 1e6);
  const ev: NetEvent = {
    kind: 'packet', ts, src: spec.src, dst: spec.dst, proto, ipVersion: spec.src.includes(':') ? 6 : 4,
    ttl: spec.ttl ?? 64,
    payloadLength: spec.payloadLength ?? 0,
    source: { file: spec.file ?? 'synthetic.pcap', packet: packetNo, offset: 24 + (packetNo - 1) * 80 },
  };
  if (spec.sport !== undefined) ev.sport = spec.sport;
  if (spec.dport !== undefined) ev.dport = spec.dport;
  if (spec.payload) ev.payload = spec.payload;
  if (spec.fragment) ev.fragment = spec.fragment;
  ev.length = spec.length ?? 54 + (ev.payloadLength ?? 0);
  return ev;
}

/** A TCP packet; `flags` is letters ("S", "SA", "R", "F", "FPU", "") or the numeric mask. */
export function tcp(spec: PacketSpec & { flags?: string | number; seq?: number; ack?: number }): NetEvent {
  const ev = base(spec, IPPROTO_TCP);
  ev.tcpFlags = typeof spec.flags === 'number' ? spec.flags : flags(spec.flags ?? 'S');
  if (spec.seq !== undefined) ev.seq = spec.seq;
  if (spec.ack !== undefined) ev.ack = spec.ack;
  return ev;
}

export function udp(spec: PacketSpec): NetEvent {
  return base(spec, IPPROTO_UDP);
}

export function icmp(spec: PacketSpec & { type: number; code?: number; id?: number; seq?: number }): NetEvent {
  const ev = base(spec, IPPROTO_ICMP);
  ev.icmp = { type: spec.type, code: spec.code ?? 0, id: spec.id, seq: spec.seq };
  return ev;
}

/** A text log record (fail2ban, sshd) naming `src`. */
export function logLine(spec: { src: string; dst?: string; ts?: number; message: string; raw?: string; line?: number; dport?: number }): NetEvent {
  packetNo++;
  return {
    kind: 'log', ts: Math.round((spec.ts ?? BASE + packetNo / 1000) * 1e6), src: spec.src, dst: spec.dst,
    dport: spec.dport, message: spec.message, raw: spec.raw ?? spec.message,
    source: { file: 'auth.log', line: spec.line ?? packetNo, offset: (packetNo - 1) * 100 },
  };
}

/**
 * A whole TCP conversation from `client` to `server`: handshake, optional
 * request/response payload, FIN close. Returns the packets in time order.
 */
export function tcpSession(spec: { client: string; server: string; sport: number; dport: number; ts: number; bytes?: number; gap?: number }): NetEvent[] {
  const g = spec.gap ?? 0.01;
  const c = { src: spec.client, dst: spec.server, sport: spec.sport, dport: spec.dport };
  const s = { src: spec.server, dst: spec.client, sport: spec.dport, dport: spec.sport };
  const out = [
    tcp({ ...c, flags: 'S', ts: spec.ts }),
    tcp({ ...s, flags: 'SA', ts: spec.ts + g }),
    tcp({ ...c, flags: 'A', ts: spec.ts + 2 * g }),
  ];
  if (spec.bytes !== 0) {
    out.push(tcp({ ...c, flags: 'PA', ts: spec.ts + 3 * g, payloadLength: 40 }));
    out.push(tcp({ ...s, flags: 'PA', ts: spec.ts + 4 * g, payloadLength: spec.bytes ?? 500 }));
  }
  out.push(tcp({ ...c, flags: 'FA', ts: spec.ts + 5 * g }));
  out.push(tcp({ ...s, flags: 'FA', ts: spec.ts + 6 * g }));
  out.push(tcp({ ...c, flags: 'A', ts: spec.ts + 7 * g }));
  return out;
}

export { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG };
