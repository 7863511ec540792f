import { TCP_ACK, TCP_FIN, TCP_SYN, type NetEvent } from '../events/event';
import { isRst, isSyn, isSynAck } from './common';

/**
 * TCP connections the evidence joins after their opening: a capture (or a
 * contiguous slice of one) that starts while connections are open sees their
 * data and acknowledgements but not the SYN that says who connected to whom.
 * Ignoring them makes a slice of a busy server look like it answers nobody;
 * counting them blindly would count a scan's bare ACK probes. Two tests, each
 * stated with its ground, decide instead.
 */

/**
 * System Ports (0-1023, RFC 6335 §6) are assigned to services; a stack picks
 * a client's ephemeral port at or above 1024 (RFC 6056 §3.2). A connection
 * between one of our ports below 1024 and one of theirs at or above it was
 * therefore opened toward our port: the rule nfdump -B applies to flows and
 * Zeek's likely_server_ports to connections first seen without their SYN.
 */
export const SYSTEM_PORTS_END = 1024;

/**
 * FTP's data port: an active-mode server opens the data connection from it
 * to the port the client named (RFC 959 §3.2), so port 20 on our side says
 * nothing of who connected.
 */
const FTP_DATA = 20;

/**
 * Is our port the service end of this connection? Our port below 1024 and
 * theirs at or above it (see SYSTEM_PORTS_END), or a port our inventory lists
 * as a service of the host. Two low or two high ports say nothing: no guess.
 */
export function ourPortServes(ourPort: number, theirPort: number, inventoryServes: (port: number) => boolean): boolean {
  if (theirPort < SYSTEM_PORTS_END) return false;
  return ourPort < SYSTEM_PORTS_END ? ourPort !== FTP_DATA : inventoryServes(ourPort);
}

/** Sequence space a segment occupies: its payload, plus one each for SYN and FIN (RFC 9293 §3.4). */
function segmentEnd(e: NetEvent): number {
  const f = e.tcpFlags ?? 0;
  return e.seq! + (e.payloadLength ?? 0) + (f & TCP_SYN ? 1 : 0) + (f & TCP_FIN ? 1 : 0);
}

/**
 * Does `ack` fall within the sequence numbers `sent` covered, from the start
 * of the lowest segment to the end of the highest? Distances are taken as
 * signed 32-bit offsets from the first segment, so the test holds across the
 * wrap of the sequence space (RFC 9293 §3.4 compares sequence numbers modulo 2^32).
 */
export function acknowledgesSent(ack: number, sent: readonly NetEvent[]): boolean {
  let base: number | undefined;
  let lo = 0;
  let hi = 0;
  for (const e of sent) {
    if (e.seq === undefined) continue;
    base ??= e.seq;
    lo = Math.min(lo, (e.seq - base) | 0);
    hi = Math.max(hi, (segmentEnd(e) - base) | 0);
  }
  if (base === undefined) return false;
  const d = (ack - base) | 0;
  return d >= lo && d <= hi;
}

/** Why the evidence counts a TCP connection it joined without its client's SYN as one the client opened. */
export interface JoinedVerdict {
  /** How we know the client opened it: our SYN-ACK answered its SYN, or the ports say so (ourPortServes). */
  by: 'syn-ack' | 'ports';
  /**
   * The client's first segment (not a reset) whose acknowledgement number
   * falls within the sequence numbers our segments on the connection use
   * (before or after it: a client may acknowledge bytes we sent before the
   * evidence begins, up to where our next segment starts): only a side of
   * an established connection knows them (an initial sequence number cannot
   * be guessed, RFC 6528), and a port with no connection answers our
   * segments with a reset instead (RFC 9293 §3.10.7.1). Our own resets are
   * not counted as sent: a reset takes its sequence number from the
   * acknowledgement of the segment it answers (same section), so an ACK
   * scan's probe "acknowledges" the reset it provokes. One such segment is
   * the minimum: it proves this connection by itself, as a completed
   * handshake does.
   */
  proof: NetEvent;
}

/**
 * Judge the packets of one TCP tuple between `client` and our server whose
 * first packet in the evidence is not the client's SYN. A SYN from our side
 * or a SYN-ACK from theirs means we opened it. Returns undefined when the
 * evidence does not show the client opened an established connection.
 */
export function judgeJoined(
  packets: readonly NetEvent[],
  client: string,
  serverPort: number,
  clientPort: number,
  inventoryServes: (port: number) => boolean,
): JoinedVerdict | undefined {
  const ours = packets.filter((e) => e.src !== client);
  if (ours.some(isSyn) || packets.some((e) => e.src === client && isSynAck(e))) return undefined;
  const by = ours.some(isSynAck) ? 'syn-ack' : ourPortServes(serverPort, clientPort, inventoryServes) ? 'ports' : undefined;
  if (!by) return undefined;
  const sent = ours.filter((e) => !isRst(e));
  const proof = packets.find((e) => e.src === client && !isRst(e) && ((e.tcpFlags ?? 0) & TCP_ACK) !== 0 && e.ack !== undefined && acknowledgesSent(e.ack, sent));
  return proof ? { by, proof } : undefined;
}
