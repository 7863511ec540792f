import {
  IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, type NetEvent,
} from '../events/event';
import type { DetectContext, Finding } from './detector';
import { EvidenceSampler } from './excerpt';
import { ConversationTable, MAX_CONVERSATIONS, type DirStats } from './outbound-conversations';
import {
  HORIZONTAL_MIN_HOSTS, VERTICAL_MIN_PORTS, horizontalFinding, keyCount, unclassifiedFinding, verticalFinding,
  type Group, type ProbeType, type Unclassified,
} from './outbound-scan-findings';
import { DistinctCounter } from './sketch/distinct-counter';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';
import { eventOrder, slim } from './stream-evidence';
import { streamSubject } from './stream-subject';
import { targetTest } from './common';

export { HORIZONTAL_MIN_HOSTS, VERTICAL_MIN_PORTS, type ProbeType } from './outbound-scan-findings';

/**
 * Our host initiating port scans: vertical (one target, many ports) and
 * horizontal (one port, many targets), with the probe type read from the TCP
 * flags the way nmap's manual names them (-sS, -sT, -sF, -sN, -sX, -sA/-sW, -sU).
 *
 * The thresholds are Zeek's policy/misc/scan.zeek defaults, so "would a
 * stock IDS call this a scan" and "do we" agree: 15 ports on one host
 * (Scan::port_scan_threshold), 25 hosts on one port (Scan::addr_scan_threshold).
 *
 * Answers are not scans: a SYN-ACK or RST from our service port, or any
 * packet of a conversation the other side started, never counts. A
 * conversation that carried payload in either direction is a real session,
 * not a probe (this keeps passive FTP, browsers and crawlers out).
 *
 * Streaming: each conversation involving our hosts is summarised as it is
 * read (outbound-conversations.ts); which side spoke first, and what our
 * first packet was, are decided at finish from those summaries, so the order
 * in which packets or files arrive does not matter. Flow records are kept
 * (trimmed) up to MAX_FLOW_RECORDS. Past either limit the rest is counted
 * and the findings say their figures are lower bounds.
 */

/** At least this share of our attempts in the group must be probe-like (no payload, unanswered or refused). */
const MIN_PROBE_SHARE = 0.5;
/** Flow records (argus, Zeek conn.log) from our hosts kept for classification. */
export const MAX_FLOW_RECORDS = 100_000;
/** Hosts of one horizontal group counted exactly; past this the count is a HyperLogLog estimate. */
export const SWEEP_EXACT_HOSTS = 65_536;
/** Hosts of a sweep the facts list by name. */
const HOST_SAMPLE = 20;

/** Ports servers answer from: a UDP datagram from one of these to a high port is a reply, not a probe. */
const UDP_SERVICE_PORTS = new Set([53, 67, 68, 69, 123, 137, 138, 161, 162, 443, 500, 514, 1194, 1812, 1813, 3478, 4500, 5353]);

/** Probe type from the flags of the first packet we sent in a conversation, or null for normal traffic. */
export function classifyProbe(flags: number, fwd: DirStats, rev: DirStats | undefined): ProbeType | null {
  const f = flags & 0x3f;
  if (f & TCP_SYN) {
    if (f & TCP_FIN) return 'SYN-FIN';
    if (f & (TCP_ACK | TCP_RST)) return null;
    // Our ACK after their SYN-ACK completed the handshake: a full connect (nmap -sT).
    if (rev && rev.flagsOr & TCP_SYN && rev.flagsOr & TCP_ACK && fwd.flagsOr & TCP_ACK) return 'connect';
    return 'SYN';
  }
  if (f === 0) return 'NULL';
  if ((f & ~TCP_FIN) === 0) return 'FIN';
  if ((f & (TCP_FIN | TCP_PSH | TCP_URG)) === (TCP_FIN | TCP_PSH | TCP_URG) && !(f & TCP_ACK)) return 'Xmas';
  if (f === TCP_ACK) {
    // A bare ACK opening a conversation is an ACK/window probe only when nothing
    // else happened on it: no handshake either way, at most a retry, and the
    // other side said at most RST (RFC 9293 §3.10.7.1: unsynchronised -> RST).
    if (fwd.flagsOr & TCP_SYN || fwd.pkts > 2) return null;
    if (rev && rev.flagsOr & ~(TCP_RST | TCP_ACK)) return null;
    return 'ACK';
  }
  return null;
}

/**
 * One conversation our host opened, or one flow record from it, with its
 * probe type (null: an ordinary attempt) and the TCP flags the other side
 * answered with (0: none, or no answer).
 */
interface Attempt {
  ev: NetEvent;
  type: ProbeType | null;
  revFlags: number;
}

/** Our first packet of a conversation we opened: a probe, an ordinary attempt, or (undefined) no attempt at all. */
function classifyOpened(ev: NetEvent, fwd: DirStats, rev: DirStats | undefined): Attempt | undefined {
  // They spoke first: whatever we sent is an answer (SYN-ACK, RST, reply datagram).
  if (rev && rev.firstTs < fwd.firstTs) return undefined;
  const flags = ev.tcpFlags ?? 0;
  let type: ProbeType | null;
  if (ev.proto === IPPROTO_TCP) {
    type = fwd.data || rev?.data ? null : classifyProbe(flags, fwd, rev);
    // Not an attempt at all (e.g. our stray RST): do not count it either way.
    if (type === null && flags & TCP_RST && !(flags & TCP_SYN)) return undefined;
  } else {
    if (ev.sport !== undefined && UDP_SERVICE_PORTS.has(ev.sport) && ev.dport! >= 1024) return undefined;
    // A datagram that got a datagram back was a working exchange (DNS, NTP ...).
    type = rev ? null : 'UDP';
  }
  return { ev, type, revFlags: rev ? rev.flagsOr : 0 };
}

/** Flow summaries (argus, Zeek conn.log): tiny flows without payload are probes. */
function classifyFlow(ev: NetEvent): Attempt {
  const f = ev.flow!;
  const tiny = f.pktsOut <= 3 && f.pktsIn <= 2;
  return { ev, type: tiny ? (ev.proto === IPPROTO_UDP ? 'UDP' : 'flow-record') : null, revFlags: 0 };
}

function bump(m: Map<ProbeType, number>, t: ProbeType): void {
  m.set(t, (m.get(t) ?? 0) + 1);
}

function newGroup(vertical: boolean, namedTargets: boolean): Group {
  const g: Group = {
    attempts: 0, probes: 0, byType: new Map(), firstTs: Infinity, lastTs: -Infinity,
    answeredRst: 0, answeredSynAck: 0, sampler: new EvidenceSampler(4, 64),
  };
  if (vertical) g.ports = new Set();
  else {
    g.hosts = new DistinctCounter(SWEEP_EXACT_HOSTS);
    g.firstHosts = [];
    if (namedTargets) g.namedHosts = new Set();
  }
  return g;
}

/** proto/port as one number, the key of a sweep's group: TCP ports as they are, UDP ports above 65535. */
function portNumberOf(ev: NetEvent): number {
  return ev.dport! + (ev.proto === IPPROTO_UDP ? 65536 : 0);
}

/** The text a finding names a sweep's port by: tcp/23, udp/161. */
function portKeyText(n: number): string {
  return n >= 65536 ? `udp/${n - 65536}` : `tcp/${n}`;
}

/** A count per pair of keys, without making a key text per attempt. */
function bumpPair<K>(m: Map<string, Map<K, number>>, a: string, b: K): void {
  let inner = m.get(a);
  if (inner === undefined) { inner = new Map(); m.set(a, inner); }
  inner.set(b, (inner.get(b) ?? 0) + 1);
}

export class OutboundScanAccumulator implements Accumulator {
  private readonly isSubject: (a: string | undefined) => boolean;
  readonly table: ConversationTable;
  flows: NetEvent[] = [];
  flowOverflow = 0;

  constructor(ctx: StreamContext) {
    this.isSubject = streamSubject(ctx);
    this.table = new ConversationTable(this.isSubject);
  }

  add(ev: NetEvent): void {
    if (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP) return;
    if (ev.src === undefined || ev.dst === undefined || ev.dport === undefined) return;
    // A non-first fragment carries no ports: it has no place in a conversation.
    if (ev.fragment && ev.fragment.offset > 0) return;
    if (ev.kind === 'packet') {
      if (this.isSubject(ev.src) || this.isSubject(ev.dst)) this.table.add(ev);
    } else if (ev.kind === 'flow' && ev.flow && this.isSubject(ev.src)) {
      if (this.flows.length < MAX_FLOW_RECORDS) this.flows.push(slim(ev));
      else this.flowOverflow++;
    }
  }

  merge(other: Accumulator): void {
    const o = other as OutboundScanAccumulator;
    this.table.merge(o.table);
    for (const ev of o.flows) {
      if (this.flows.length < MAX_FLOW_RECORDS) this.flows.push(ev);
      else this.flowOverflow++;
    }
    this.flowOverflow += o.flowOverflow;
  }

  finish(ctx: DetectContext): Finding[] {
    const attempts: Attempt[] = [];
    this.table.forEachOpened((first, fwd, rev) => {
      const a = classifyOpened(first, fwd, rev);
      if (a) attempts.push(a);
    });
    for (const ev of this.flows) attempts.push(classifyFlow(ev));
    attempts.sort((a, b) => eventOrder(a.ev, b.ev));
    const unclassified = this.unclassified();
    const findings = groupFindings(attempts, ctx, unclassified);
    if (findings.length === 0 && unclassified) findings.push(unclassifiedFinding(unclassified));
    return findings;
  }

  private unclassified(): Unclassified | undefined {
    const t = this.table;
    if (t.overflowPackets === 0 && this.flowOverflow === 0) return undefined;
    return {
      conversations: t.overflowConversations.count() + this.flowOverflow,
      exact: t.overflowConversations.exact,
      limit: MAX_CONVERSATIONS,
    };
  }
}

/**
 * Attempts (in time order) into vertical groups (scanner -> target) and
 * horizontal ones (scanner -> proto/port). Only groups with enough probes to
 * reach a threshold are built in full: a sweep of a million hosts makes a
 * million one-attempt vertical groups that could never be a finding.
 */
function groupFindings(attempts: Attempt[], ctx: DetectContext, unclassified: Unclassified | undefined): Finding[] {
  const isTarget = targetTest(ctx);
  const namedTargets = ctx.targets.length > 0;
  // Probes per scanner and target, and per scanner and proto/port.
  const vProbes = new Map<string, Map<string, number>>();
  const hProbes = new Map<string, Map<number, number>>();
  // Scanners in the order of their first attempt: the order findings are listed in.
  const vertical = new Map<string, Map<string, Group>>();
  const horizontal = new Map<string, Map<number, Group>>();
  // Index loops and no tuples: this runs once per attempt of a sweep, mostly before the engine has optimised it.
  for (let i = 0; i < attempts.length; i++) {
    const { ev, type } = attempts[i];
    if (!vertical.has(ev.src!)) { vertical.set(ev.src!, new Map()); horizontal.set(ev.src!, new Map()); }
    if (type === null) continue;
    bumpPair(vProbes, ev.src!, ev.dst!);
    bumpPair(hProbes, ev.src!, portNumberOf(ev));
  }
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i];
    const src = a.ev.src!, dst = a.ev.dst!;
    const port = portNumberOf(a.ev);
    if ((vProbes.get(src)?.get(dst) ?? 0) >= VERTICAL_MIN_PORTS) {
      countAttempt(groupOf(vertical, src, dst, true, namedTargets), a, port, isTarget, namedTargets);
    }
    if ((hProbes.get(src)?.get(port) ?? 0) >= HORIZONTAL_MIN_HOSTS) {
      countAttempt(groupOf(horizontal, src, port, false, namedTargets), a, port, isTarget, namedTargets);
    }
  }

  const findings: Finding[] = [];
  for (const [scanner, byTarget] of vertical) {
    const hits = [...byTarget].filter(([, g]) => keyCount(g) >= VERTICAL_MIN_PORTS && g.probes / g.attempts >= MIN_PROBE_SHARE);
    if (hits.length === 0) continue;
    hits.sort((a, b) => keyCount(b[1]) - keyCount(a[1]));
    findings.push(verticalFinding(scanner, hits, isTarget, unclassified));
  }
  for (const [scanner, byPort] of horizontal) {
    const hits = [...byPort]
      .filter(([, g]) => keyCount(g) >= HORIZONTAL_MIN_HOSTS && g.probes / g.attempts >= MIN_PROBE_SHARE)
      .map(([port, g]): [string, Group] => [portKeyText(port), g]);
    if (hits.length === 0) continue;
    hits.sort((a, b) => keyCount(b[1]) - keyCount(a[1]));
    findings.push(horizontalFinding(scanner, hits, namedTargets, unclassified));
  }
  return findings;
}

/** The group of scanner `a` and target or port `b`, made on first use. */
function groupOf<K>(outer: Map<string, Map<K, Group>>, a: string, b: K, isVertical: boolean, namedTargets: boolean): Group {
  const m = outer.get(a)!;
  let g = m.get(b);
  if (!g) { g = newGroup(isVertical, namedTargets); m.set(b, g); }
  return g;
}

/** One attempt into a group: vertical groups count its port, horizontal ones its host. */
function countAttempt(g: Group, a: Attempt, port: number, isTarget: (a: string) => boolean, namedTargets: boolean): void {
  g.attempts++;
  const { ev, type } = a;
  if (type === null) return;
  g.probes++;
  if (g.ports) g.ports.add(port);
  else addHost(g, ev.dst!, isTarget, namedTargets);
  bump(g.byType, type);
  if (ev.ts < g.firstTs) g.firstTs = ev.ts;
  if (ev.ts > g.lastTs) g.lastTs = ev.ts;
  g.sampler.add(ev);
  if (a.revFlags & TCP_RST) g.answeredRst++;
  else if (a.revFlags & TCP_SYN && a.revFlags & TCP_ACK) g.answeredSynAck++;
}

function addHost(g: Group, host: string, isTarget: (a: string) => boolean, namedTargets: boolean): void {
  const known = g.hosts!.has(host);
  g.hosts!.add(host);
  if (known === false && g.firstHosts!.length < HOST_SAMPLE) g.firstHosts!.push(host);
  if (namedTargets && isTarget(host)) g.namedHosts!.add(host);
}

export const outboundScan = streamingDetector('outbound-scan', (ctx) => new OutboundScanAccumulator(ctx));
