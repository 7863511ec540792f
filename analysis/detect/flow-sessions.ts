import { IPPROTO_TCP, TCP_ACK, TCP_RST, TCP_SYN, type NetEvent } from '../events/event';

/**
 * A conversation as a flow-summary tool (argus ra, Zeek conn.log) recorded
 * it, reduced to what the answer detectors need: who started it, whether the
 * other side answered, whether a TCP handshake completed.
 */
export interface FlowSession {
  ev: NetEvent;
  client: string;
  clientPort?: number;
  server: string;
  serverPort?: number;
  proto: number;
  /** The other side answered (SYN-ACK, RST, a reply datagram); undefined when the record cannot tell. */
  answered?: boolean;
  /** A TCP handshake completed (data could flow). */
  established: boolean;
}

// argus states (ra(1) "state" field): REQ requested, ACC accepted (SYN-ACK seen), EST/CON established,
// FIN/CLO closed after establishment, RST reset, TIM timed out, INT initial (one-way), ECO/RSP for ICMP.
const ARGUS_ESTABLISHED = new Set(['CON', 'EST', 'FIN', 'CLO']);
const ARGUS_ANSWERED = new Set(['ACC', 'CON', 'EST', 'FIN', 'CLO', 'RST', 'RSP']);
const ARGUS_UNANSWERED = new Set(['REQ', 'INT', 'TIM']);
// Zeek conn_state (base/protocols/conn/main.zeek).
const ZEEK_ESTABLISHED = new Set(['SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR']);
const ZEEK_ANSWERED = new Set(['SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR', 'REJ', 'SH', 'SHR', 'RSTOS0', 'RSTRH']);

function argusLetters(state: string): { answered?: boolean; established: boolean } | undefined {
  // Seed 004's patched ra: s SYN, S SYN-ACK, E established, F FIN, C closed, R reset.
  if (!/^[sSEFCR]+$/.test(state)) return undefined;
  return { answered: /[SER]/.test(state), established: state.includes('E') };
}

// ra -Z b: the TCP flags each side sent, "<source>_<destination>" (ra(1): F S R P A U 7 8), cut off with "*"
// when the column is too narrow ("SPA_*", "FSPA*").
const ARGUS_FLAGS = /^([FSRPAU78]*)(_[FSRPAU78]*)?(\*)?$/;

function argusFlags(state: string): { answered?: boolean; established: boolean } | undefined {
  const m = ARGUS_FLAGS.exec(state);
  if (!m || (!m[2] && !m[3])) return undefined;
  const dst = m[2]?.slice(1) ?? '';
  // Flags from the destination are an answer; none, when the column was not cut short, is silence.
  const answered = dst ? true : m[2] !== undefined && !m[3] ? false : undefined;
  // A stack ACKs its own SYN only after the other side's SYN-ACK (RFC 9293 §3.5): SYN and ACK from the source is a handshake.
  return { answered, established: m[1].includes('S') && m[1].includes('A') };
}

/**
 * One direction of a NetFlow/IPFIX flow as nfdump prints it: no state, no history, no reverse counts; the
 * other direction, if it passed the exporter, is another record (RFC 3954 §2, RFC 7011 §2: a flow is the
 * packets with common properties passing an observation point, one way). TCP records carry the OR of flags.
 */
export function isOneWayNetflow(ev: NetEvent): boolean {
  const f = ev.flow;
  return ev.kind === 'flow' && !!f && !!f.totalsOnly && f.state === undefined && f.history === undefined
    && (f.tcpFlags !== undefined || ev.proto !== IPPROTO_TCP);
}

/**
 * Whether a one-way NetFlow record is the answering side of a conversation (its other direction opened it).
 * From the flags when they settle it: only SYNs without ACK open (RFC 9293 §3.5); one packet of SYN+ACK is a
 * SYN-ACK; RST without SYN opens nothing (it answers an unexpected segment, §3.10.7.1). Else nfdump's own
 * direction guess (nfdump(1) -B): a source port below 1024 talking to a destination port of 1024 or more is the server.
 */
export function isNetflowAnswer(ev: NetEvent): boolean {
  const f = ev.flow!;
  if (ev.proto === IPPROTO_TCP) {
    const flags = f.tcpFlags ?? 0;
    if (flags & TCP_SYN && !(flags & TCP_ACK)) return false;
    if ((flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) && f.pktsOut === 1) return true;
    if (flags & TCP_RST && !(flags & TCP_SYN)) return true;
  }
  return ev.sport !== undefined && ev.dport !== undefined && ev.sport < 1024 && ev.dport >= 1024;
}

/**
 * A one-way NetFlow TCP record of the opening side: established when it holds a SYN and an ACK in more than one
 * packet, since a stack ACKs after its own SYN only once the SYN-ACK came (RFC 9293 §3.5); an ACK without a SYN
 * is a record cut from a longer connection (the exporter's active timeout), which was established.
 */
export function netflowEstablished(ev: NetEvent): boolean {
  const f = ev.flow!;
  const flags = f.tcpFlags ?? 0;
  if (!(flags & TCP_ACK)) return false;
  return flags & TCP_SYN ? f.pktsOut >= 2 : true;
}

const tupleKey = (proto: number, a: string, ap: number | undefined, b: string, bp: number | undefined): string => `${proto}|${a}|${ap}|${b}|${bp}`;

/**
 * Flow-summary records of TCP/UDP as sessions; packet events are not flow records and are skipped.
 * One-way NetFlow records that answer are not sessions of their own: given with the record of the opening
 * direction (in the same call), they mark it answered; alone (a single record), the answer is unknown.
 */
export function flowSessions(events: NetEvent[]): FlowSession[] {
  const out: FlowSession[] = [];
  // Walked twice below: the flow records alone, not a capture's packets around them.
  const records = events.filter((ev) => ev.kind === 'flow' && ev.flow && ev.src && ev.dst && ev.proto !== undefined);
  if (records.length === 0) return out;
  const answers = new Set<string>();
  for (const ev of records) {
    if (isOneWayNetflow(ev) && isNetflowAnswer(ev)) answers.add(tupleKey(ev.proto!, ev.dst!, ev.dport, ev.src!, ev.sport));
  }
  for (const ev of records) {
    if (!ev.flow || !ev.src || !ev.dst || ev.proto === undefined) continue;
    const f = ev.flow;
    if (isOneWayNetflow(ev)) {
      if (isNetflowAnswer(ev)) continue;
      const answered = answers.has(tupleKey(ev.proto, ev.src, ev.sport, ev.dst, ev.dport)) ? true : undefined;
      const established = ev.proto === IPPROTO_TCP ? netflowEstablished(ev) : answered === true;
      out.push({ ev, client: ev.src, clientPort: ev.sport, server: ev.dst, serverPort: ev.dport, proto: ev.proto, answered, established });
      continue;
    }
    const state = (f.state ?? '').toUpperCase();
    const s: FlowSession = { ev, client: ev.src, clientPort: ev.sport, server: ev.dst, serverPort: ev.dport, proto: ev.proto, established: false };
    if (f.history !== undefined || ZEEK_ANSWERED.has(state) || state === 'S0' || state === 'OTH') {
      s.established = ZEEK_ESTABLISHED.has(state) || /[Dd]/.test(f.history ?? '');
      s.answered = ZEEK_ANSWERED.has(state) || (f.history !== undefined && /[hadfr]/.test(f.history));
    } else if (f.state && argusLetters(f.state)) {
      Object.assign(s, argusLetters(f.state));
    } else if (ev.proto === IPPROTO_TCP && f.state && argusFlags(f.state)) {
      Object.assign(s, argusFlags(f.state));
    } else if (ARGUS_ESTABLISHED.has(state) || ARGUS_ANSWERED.has(state) || ARGUS_UNANSWERED.has(state)) {
      s.established = ev.proto === IPPROTO_TCP ? ARGUS_ESTABLISHED.has(state) : state === 'CON';
      s.answered = ARGUS_ANSWERED.has(state) ? true : ARGUS_UNANSWERED.has(state) ? false : undefined;
    }
    if (!f.totalsOnly && f.pktsIn > 0) s.answered = true;
    out.push(s);
  }
  return out;
}
