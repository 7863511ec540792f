import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type NetEvent } from '../../events/event';
import { eventOrder, slim } from '../stream-evidence';
import { FAILURE_QUOTES, earliest, type SessionSummary } from './tally';

/**
 * Our host's TCP sessions to login services, from their packets, while they
 * are open. A session is keyed by its 4-tuple and summarised with operations
 * that do not care about order (earliest SYN, latest packet, flags seen,
 * counts), so packets may come in any order and two tables built over two
 * parts of a capture merge into the table of one pass.
 *
 * The table is bounded: when it is full, sessions that closed (FIN from both
 * sides, or a RST) more than CLOSE_LINGER_S, or went quiet more than IDLE_S,
 * before the packet being read are finished; if that is not enough, the
 * quarter idle longest is finished early and counted in `evicted`.
 */
export const MAX_OPEN_SESSIONS = 50_000;
/** A closed session's last packets (the final ACK, a retransmitted FIN) come within this. */
const CLOSE_LINGER_S = 60;
/** An SSH or FTP server drops an idle unauthenticated client long before this (OpenSSH LoginGraceTime is 120 s). */
const IDLE_S = 600;

export interface OpenSession {
  src: string;
  dst: string;
  port: number;
  /** Our earliest SYN (without ACK): a session we did not see open is not counted. */
  syn: NetEvent | undefined;
  lastTs: number;
  established: boolean;
  succeeded: boolean;
  finOut: boolean;
  finIn: boolean;
  rst: boolean;
  failures: number;
  /** Shared and empty (NONE) until the first refusal: most sessions of a sweep never see one. */
  failureKinds: readonly string[];
  failureFirst: readonly NetEvent[];
  packets: number;
  /** Payload bytes both ways. */
  bytes: number;
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * A session's key: its 4-tuple as six UTF-16 units (the two IPv4 addresses
 * in halves, and the ports) when both addresses are IPv4, one short flat
 * string made and hashed per packet where a template text made a chain of
 * five and kept it; else the tuple as text, which is never six units long.
 */
export function sessionKey(src: string, src4: number | undefined, sport: number, dst: string, dst4: number | undefined, dport: number): string {
  if (src4 !== undefined && dst4 !== undefined) {
    return String.fromCharCode(src4 >>> 16, src4 & 0xffff, sport, dst4 >>> 16, dst4 & 0xffff, dport);
  }
  return `${src}|${sport}|${dst}|${dport}`;
}

export interface ServerReply {
  failure?: string;
  success?: boolean;
}

export class SessionTable {
  readonly open = new Map<string, OpenSession>();
  /** Sessions finished early because the table was full. */
  evicted = 0;

  constructor(private readonly retire: (s: OpenSession) => void, private readonly limit = MAX_OPEN_SESSIONS) {}

  /** A packet from our host to the service (`outbound`) or back; `reply` is what the server's payload said. */
  add(ev: NetEvent, key: string, src: string, dst: string, port: number, outbound: boolean, reply?: ServerReply): void {
    let s = this.open.get(key);
    if (!s) {
      if (this.open.size >= this.limit) this.makeRoom(ev.ts);
      s = {
        src, dst, port, syn: undefined, lastTs: ev.ts, established: false, succeeded: false, finOut: false, finIn: false, rst: false,
        failures: 0, failureKinds: NONE, failureFirst: NONE, packets: 0, bytes: 0,
      };
      this.open.set(key, s);
    }
    const flags = ev.tcpFlags ?? 0;
    s.packets++;
    s.bytes += ev.payloadLength ?? 0;
    if (ev.ts > s.lastTs) s.lastTs = ev.ts;
    if (flags & TCP_RST) s.rst = true;
    if (outbound) {
      if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && (!s.syn || eventOrder(ev, s.syn) < 0)) s.syn = slim(ev);
      if (flags & TCP_FIN) s.finOut = true;
      return;
    }
    if (flags & TCP_FIN) s.finIn = true;
    if (flags & TCP_SYN && flags & TCP_ACK) s.established = true;
    if (reply?.failure) {
      s.failures++;
      if (!s.failureKinds.includes(reply.failure)) s.failureKinds = [...s.failureKinds, reply.failure];
      if (s.failureFirst.length < FAILURE_QUOTES || eventOrder(ev, s.failureFirst[FAILURE_QUOTES - 1]) < 0) s.failureFirst = earliest(s.failureFirst, [slim(ev)]);
    } else if (reply?.success) {
      s.succeeded = true;
    }
  }

  merge(other: SessionTable): void {
    for (const [k, theirs] of other.open) {
      const mine = this.open.get(k);
      if (!mine) {
        if (this.open.size >= this.limit) this.makeRoom(theirs.lastTs);
        this.open.set(k, theirs);
        continue;
      }
      if (theirs.syn && (!mine.syn || eventOrder(theirs.syn, mine.syn) < 0)) mine.syn = theirs.syn;
      mine.lastTs = Math.max(mine.lastTs, theirs.lastTs);
      mine.established ||= theirs.established;
      mine.succeeded ||= theirs.succeeded;
      mine.finOut ||= theirs.finOut;
      mine.finIn ||= theirs.finIn;
      mine.rst ||= theirs.rst;
      mine.failures += theirs.failures;
      for (const kind of theirs.failureKinds) if (!mine.failureKinds.includes(kind)) mine.failureKinds = [...mine.failureKinds, kind];
      mine.failureFirst = earliest(mine.failureFirst, theirs.failureFirst);
      mine.packets += theirs.packets;
      mine.bytes += theirs.bytes;
    }
    this.evicted += other.evicted;
  }

  /**
   * Finish every open session (at the end of the evidence): those `first`
   * picks, then the others, each through `retire` (the table's own when not given).
   */
  drain(first: (s: OpenSession) => boolean = () => true, retire: (s: OpenSession) => void = this.retire): void {
    for (const s of this.open.values()) if (first(s)) retire(s);
    for (const s of this.open.values()) if (!first(s)) retire(s);
    this.open.clear();
  }

  private makeRoom(now: number): void {
    for (const [k, s] of this.open) {
      const quiet = (now - s.lastTs) / 1e6;
      if (quiet > IDLE_S || (quiet > CLOSE_LINGER_S && (s.rst || (s.finOut && s.finIn)))) {
        this.retire(s);
        this.open.delete(k);
      }
    }
    if (this.open.size < this.limit * 0.9) return;
    const oldest = [...this.open].sort((a, b) => a[1].lastTs - b[1].lastTs).slice(0, Math.ceil(this.limit / 4));
    for (const [k, s] of oldest) {
      this.retire(s);
      this.open.delete(k);
    }
    this.evicted += oldest.length;
  }
}

/** The session was an attempt (see `packetSession`) or met a refusal: one that can make its service a finding. */
export function countsAlone(s: OpenSession): boolean {
  return s.failures > 0 || (s.established && !s.succeeded);
}

/** An open session as a finished one; undefined when we never saw it open (no SYN from us). */
export function packetSession(s: OpenSession): SessionSummary | undefined {
  if (!s.syn) return undefined;
  return {
    start: s.syn,
    startTs: s.syn.ts,
    endTs: s.lastTs,
    // Sessions the server let in without a refusal are logins that worked: they are not attempts.
    attempt: s.established && (!s.succeeded || s.failures > 0),
    seconds: (s.lastTs - s.syn.ts) / 1e6,
    packets: s.packets,
    bytes: s.bytes,
  };
}
