import type { NetEvent } from '../../events/event';
import { TimeSample, eventOrder } from '../stream-evidence';
import { Quantiles } from './quantiles';

/**
 * The sessions of one login service of one target (our host -> target:port),
 * as one kind of evidence shows them: the packets of a capture, or flow
 * records (argus, Zeek conn.log). Counters, bounded quantile summaries and a
 * bounded sample of the sessions' first records; two tallies merge exactly.
 */
export const AUTH_PORTS = new Map<number, string>([
  [21, 'FTP'], [22, 'SSH'], [23, 'Telnet'], [25, 'SMTP'], [110, 'POP3'], [143, 'IMAP'], [445, 'SMB'],
  [465, 'SMTPS'], [587, 'SMTP submission'], [993, 'IMAPS'], [995, 'POP3S'], [1433, 'MS-SQL'], [3306, 'MySQL'],
  [3389, 'RDP'], [5432, 'PostgreSQL'], [5900, 'VNC'], [2222, 'SSH (alt)'], [2323, 'Telnet (alt)'],
]);
/** Sessions to one service of one target before we call it guessing (fail2ban's default maxretry is 5; we want clearly more). */
export const MIN_SESSIONS = 8;
/** A login attempt takes seconds; interactive or transfer sessions last longer. */
export const MAX_MEDIAN_SESSION_S = 30;
/**
 * When the records give no durations (ra's default columns), a login attempt is a few dozen packets
 * (an SSH password attempt with key exchange about 25-40, an FTP USER/PASS exchange about 20); an
 * interactive session or a transfer runs to hundreds.
 */
export const MAX_MEDIAN_SESSION_PACKETS = 60;
export const MIN_FAILURES = 5;
/** Spraying one service over many targets. */
export const SPRAY_MIN_TARGETS = 5;
export const SPRAY_MIN_SESSIONS = 20;
/** Mail servers open many short SMTP sessions to big MXs; on port 25 only failed AUTH replies count. */
export const SESSION_RULE_EXEMPT = new Set([25]);
/** Interquartile range of bytes per session, relative to the median, at or below which the sessions are "the same size". */
export const SIMILAR_BYTES_SPREAD = 0.1;
/** Session first records kept per tally for evidence. */
const START_SAMPLE = 64;

/** One finished session, from its packets or from one flow record. */
export interface SessionSummary {
  /** Its first record (our SYN, or the flow record), slimmed. */
  start: NetEvent;
  startTs: number;
  endTs: number;
  /** The server answered and it is not a login that worked: an attempt. */
  attempt: boolean;
  /** Undefined when the record gives no duration. */
  seconds?: number;
  packets: number;
  bytes: number;
}

export class Tally {
  /** Sessions opened: a SYN from our host, or a flow record. */
  sessions = 0;
  /** Established sessions that were not a login that worked. */
  attempts = 0;
  firstTs = Infinity;
  lastTs = -Infinity;
  // The summaries are made on first use: a sweep of an auth port makes a
  // service (two tallies) per host it touched, most of them with one session
  // that was never an attempt, and eight objects per tally made the drain's
  // garbage collection its largest cost.
  private durationsOf: Quantiles | undefined;
  private packetsOf: Quantiles | undefined;
  private bytesOf: Quantiles | undefined;
  private startsOf: TimeSample | undefined;

  /** Of attempts whose duration is known, seconds. */
  get durations(): Quantiles {
    return (this.durationsOf ??= new Quantiles());
  }

  /** Of attempts: packets and bytes (payload bytes from packets; the tool's byte counts from flow records). */
  get packets(): Quantiles {
    return (this.packetsOf ??= new Quantiles());
  }

  get bytes(): Quantiles {
    return (this.bytesOf ??= new Quantiles());
  }

  get starts(): TimeSample {
    return (this.startsOf ??= new TimeSample(START_SAMPLE));
  }

  add(s: SessionSummary): void {
    this.sessions++;
    if (s.startTs < this.firstTs) this.firstTs = s.startTs;
    if (s.endTs > this.lastTs) this.lastTs = s.endTs;
    this.starts.add(s.start);
    if (!s.attempt) return;
    this.attempts++;
    if (s.seconds !== undefined) this.durations.add(s.seconds);
    this.packets.add(s.packets);
    this.bytes.add(s.bytes);
  }

  merge(o: Tally): void {
    this.sessions += o.sessions;
    this.attempts += o.attempts;
    this.firstTs = Math.min(this.firstTs, o.firstTs);
    this.lastTs = Math.max(this.lastTs, o.lastTs);
    if (o.durationsOf) this.durations.merge(o.durationsOf);
    if (o.packetsOf) this.packets.merge(o.packetsOf);
    if (o.bytesOf) this.bytes.merge(o.bytesOf);
    if (o.startsOf) this.starts.merge(o.startsOf);
  }

  /** Durations are known for at least half of the attempts (flow records without a duration column have none). */
  get durationsKnown(): boolean {
    return (this.durationsOf?.count ?? 0) * 2 >= this.attempts;
  }

  /** The attempts are short: a median of seconds, or of packets where the records give no durations. */
  get short(): boolean {
    return this.durationsKnown
      ? this.durations.median() <= MAX_MEDIAN_SESSION_S
      : this.packets.median() <= MAX_MEDIAN_SESSION_PACKETS;
  }

  /** Interquartile range of bytes per attempt over its median; undefined when the sessions carried no bytes. */
  bytesSpread(): number | undefined {
    const med = this.bytes.median();
    if (this.attempts < 2 || med <= 0) return undefined;
    return (this.bytes.quantile(0.75) - this.bytes.quantile(0.25)) / med;
  }
}

/** A service: our host -> target:port, with what the packets and the flow records each show. */
export interface Service {
  key: string;
  src: string;
  dst: string;
  port: number;
  packets: Tally;
  flows: Tally;
  /** Clear-text "login failed" replies (packets only). */
  failures: number;
  failureKinds: Set<string>;
  /** The earliest refusals, for evidence. */
  failureFirst: NetEvent[];
}

/** Refusals quoted per finding. */
export const FAILURE_QUOTES = 4;

export function newService(key: string, src: string, dst: string, port: number): Service {
  return { key, src, dst, port, packets: new Tally(), flows: new Tally(), failures: 0, failureKinds: new Set(), failureFirst: [] };
}

/** The earliest `FAILURE_QUOTES` of two lists, in time order. */
export function earliest(a: readonly NetEvent[], b: readonly NetEvent[]): NetEvent[] {
  return [...a, ...b].sort(eventOrder).slice(0, FAILURE_QUOTES);
}

export function mergeService(mine: Service, theirs: Service): void {
  mine.packets.merge(theirs.packets);
  mine.flows.merge(theirs.flows);
  mine.failures += theirs.failures;
  for (const k of theirs.failureKinds) mine.failureKinds.add(k);
  mine.failureFirst = earliest(mine.failureFirst, theirs.failureFirst);
}

/**
 * Packets and flow records of the same conversations are two views of one set of sessions, not two
 * sets: a finding counts the view that shows more of them (the packets when equal, as they also show refusals).
 */
export function chosenTally(svc: Service): { tally: Tally; fromFlows: boolean } {
  return svc.flows.sessions > svc.packets.sessions ? { tally: svc.flows, fromFlows: true } : { tally: svc.packets, fromFlows: false };
}

/** When the service's first session began. */
export function serviceStart(svc: Service): number {
  return Math.min(svc.packets.firstTs, svc.flows.firstTs);
}
