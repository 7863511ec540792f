import type { NetEvent } from '../../events/event';
import { isOneWayNetflow, netflowEstablished } from '../flow-sessions';
import { slim } from '../stream-evidence';
import type { SessionSummary } from './tally';

/**
 * A flow record (argus, Zeek conn.log, nfdump) of our host's TCP session to a login
 * service as one session: did the server answer and the handshake complete
 * (an attempt could be made), how long it lasted, how big it was.
 */

// Zeek conn_state (base/protocols/conn/main.zeek): SF/S1/S2/S3 established, RSTO/RSTR established then reset.
const ZEEK_STATES = new Set(['S0', 'S1', 'S2', 'S3', 'SF', 'REJ', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);
const ZEEK_ESTABLISHED = new Set(['SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR']);

function zeekEstablished(state: string, history: string): boolean {
  // S0: no answer; REJ: refused with a RST.
  if (state === 'S0' || state === 'REJ') return false;
  if (ZEEK_ESTABLISHED.has(state)) return true;
  // History letters (upper case from the originator, lower from the responder): h is the responder's SYN-ACK
  // (H the same from the originator, when Zeek read the roles the wrong way round); D/d is data, which
  // TCP carries only after a handshake. OTH or SH with neither is a fragment of a conversation, not a login.
  return /[hHdD]/.test(history);
}

// argus TCP states (ra(1)): CON/EST established, FIN/CLO closed after establishment; REQ a SYN not answered,
// ACC a SYN-ACK never acknowledged, INT a flow argus saw only the start of.
const ARGUS_ESTABLISHED = new Set(['CON', 'EST', 'FIN', 'CLO']);
const ARGUS_NOT = new Set(['REQ', 'ACC', 'INT']);
// ra -Z b: the flags each side sent, "<source>_<destination>", "*" when the column cut them short.
const ARGUS_FLAGS = /^([FSRPAU78]*)(_[FSRPAU78]*)?(\*)?$/;
/**
 * A refused SYN is two packets (SYN, RST), a half-open probe three (SYN, SYN-ACK, our RST); a reset
 * session of four or more completed its handshake (SYN, SYN-ACK, ACK, RST is the least).
 */
const MIN_RESET_SESSION_PACKETS = 4;

function argusEstablished(ev: NetEvent): boolean {
  const f = ev.flow!;
  // One direction of a NetFlow/IPFIX flow (nfdump): no state, but the OR of the client's TCP flags.
  if (isOneWayNetflow(ev) && f.tcpFlags !== undefined) return netflowEstablished(ev);
  const state = f.state ?? '';
  // A patched ra's letters (s SYN, S SYN-ACK, E established, F FIN, C closed, R reset).
  if (/^[sSEFCR]+$/.test(state) && !ARGUS_ESTABLISHED.has(state)) return state.includes('E');
  const m = ARGUS_FLAGS.exec(state);
  // Our ACK after their SYN-ACK (RFC 9293 §3.5): SYN and ACK from the source is a completed handshake.
  if (m && (m[2] || m[3])) return m[1].includes('S') && m[1].includes('A');
  const word = state.toUpperCase();
  if (ARGUS_ESTABLISHED.has(word)) return true;
  if (ARGUS_NOT.has(word)) return false;
  if (!f.totalsOnly && f.pktsIn === 0) return false;
  // RST, TIM, or a state we do not know: the packet count tells a refusal from a session.
  return f.pktsOut + f.pktsIn >= MIN_RESET_SESSION_PACKETS;
}

export function flowEstablished(ev: NetEvent): boolean {
  const f = ev.flow!;
  const state = (f.state ?? '').toUpperCase();
  if (f.history !== undefined || ZEEK_STATES.has(state)) return zeekEstablished(state, f.history ?? '');
  return argusEstablished(ev);
}

/** One flow record as a session. Flow records say nothing of the login's outcome: established is an attempt. */
export function flowSession(ev: NetEvent): SessionSummary {
  const f = ev.flow!;
  const seconds = f.durationUs !== undefined ? f.durationUs / 1e6 : undefined;
  return {
    start: slim(ev),
    startTs: ev.ts,
    endTs: ev.ts + (f.durationUs ?? 0),
    attempt: flowEstablished(ev),
    seconds,
    packets: f.pktsOut + f.pktsIn,
    bytes: f.bytesOut + f.bytesIn,
  };
}
