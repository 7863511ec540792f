import { IPPROTO_TCP, type NetEvent } from '../events/event';

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

/** Flow-summary records of TCP/UDP as sessions; packet events are not flow records and are skipped. */
export function flowSessions(events: NetEvent[]): FlowSession[] {
  const out: FlowSession[] = [];
  for (const ev of events) {
    if (ev.kind !== 'flow' || !ev.flow || !ev.src || !ev.dst || ev.proto === undefined) continue;
    const f = ev.flow;
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
