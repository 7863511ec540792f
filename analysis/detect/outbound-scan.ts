import {
  IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, type NetEvent,
} from '../events/event';
import type { DetectContext, Detector, Finding } from './detector';
import { EvidenceSampler, ref as refOf } from './excerpt';
import {
  listSome, rate, reverseKey, seconds, sortedNums, strength, subjectTest, targetTest, tupleKey,
} from './common';

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
 */
export const VERTICAL_MIN_PORTS = 15;
export const HORIZONTAL_MIN_HOSTS = 25;
/** At least this share of our attempts in the group must be probe-like (no payload, unanswered or refused). */
const MIN_PROBE_SHARE = 0.5;

export type ProbeType = 'SYN' | 'connect' | 'FIN' | 'NULL' | 'Xmas' | 'ACK' | 'SYN-FIN' | 'UDP' | 'flow-record';

/** Ports servers answer from: a UDP datagram from one of these to a high port is a reply, not a probe. */
const UDP_SERVICE_PORTS = new Set([53, 67, 68, 69, 123, 137, 138, 161, 162, 443, 500, 514, 1194, 1812, 1813, 3478, 4500, 5353]);

interface DirStats {
  firstTs: number;
  pkts: number;
  data: boolean;
  flagsOr: number;
}

interface Group {
  /** Ports (vertical) or hosts (horizontal) reached by probes. */
  keys: Set<string>;
  attempts: number;
  probes: number;
  byType: Map<ProbeType, number>;
  firstTs: number;
  lastTs: number;
  answeredRst: number;
  answeredSynAck: number;
  sampler: EvidenceSampler;
}

function newGroup(): Group {
  return {
    keys: new Set(), attempts: 0, probes: 0, byType: new Map(), firstTs: Infinity, lastTs: -Infinity,
    answeredRst: 0, answeredSynAck: 0, sampler: new EvidenceSampler(4, 64),
  };
}

/** nmap's names for the probe types, for the reply. */
const TYPE_WORDS: Record<ProbeType, string> = {
  SYN: 'TCP SYN (half-open) scan', connect: 'TCP connect scan', FIN: 'TCP FIN scan', NULL: 'TCP NULL scan',
  Xmas: 'TCP Xmas scan', ACK: 'TCP ACK scan', 'SYN-FIN': 'TCP SYN+FIN scan', UDP: 'UDP scan',
  'flow-record': 'scan (seen in flow records)',
};

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

function bump(m: Map<ProbeType, number>, t: ProbeType): void {
  m.set(t, (m.get(t) ?? 0) + 1);
}

function dominant(m: Map<ProbeType, number>): ProbeType {
  let best: ProbeType = 'SYN';
  let n = -1;
  for (const [t, c] of m) if (c > n) { best = t; n = c; }
  return best;
}

/**
 * A connect scan (nmap -sT) and a SYN scan differ only on open ports: the
 * connect scan completes the handshake with an ACK, the SYN scan answers the
 * SYN-ACK with RST. Closed ports look the same, so a single completed
 * handshake among SYN probes makes it a connect scan.
 */
function scanType(m: Map<ProbeType, number>): ProbeType {
  const t = dominant(m);
  if (t === 'SYN' && (m.get('connect') ?? 0) > 0) return 'connect';
  return t;
}

function typeCounts(m: Map<ProbeType, number>): string[] {
  return [...m].sort((a, b) => b[1] - a[1]).map(([t, c]) => `${t}:${c}`);
}

export const outboundScan: Detector = {
  id: 'outbound-scan',
  detect(ctx: DetectContext): Finding[] {
    const isSubject = subjectTest(ctx);
    const isTarget = targetTest(ctx);

    // Pass 1: what happened on every directed 5-tuple (packets only).
    const stats = new Map<string, DirStats>();
    for (const ev of ctx.events) {
      if (ev.kind !== 'packet' || (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP)) continue;
      if (ev.src === undefined || ev.dst === undefined || ev.dport === undefined) continue;
      if (!isSubject(ev.src) && !isSubject(ev.dst)) continue;
      const k = tupleKey(ev);
      let s = stats.get(k);
      if (!s) { s = { firstTs: ev.ts, pkts: 0, data: false, flagsOr: 0 }; stats.set(k, s); }
      s.pkts++;
      if ((ev.payloadLength ?? 0) > 0 && ev.proto === IPPROTO_TCP) s.data = true;
      s.flagsOr |= ev.tcpFlags ?? 0;
    }

    // Pass 2: each conversation our host opened, once, classified by its first packet.
    // scanner -> target -> group (vertical), scanner -> proto/port -> group (horizontal)
    const vertical = new Map<string, Map<string, Group>>();
    const horizontal = new Map<string, Map<string, Group>>();
    const done = new Set<string>();
    const group = (outer: Map<string, Map<string, Group>>, a: string, b: string): Group => {
      let m = outer.get(a);
      if (!m) { m = new Map(); outer.set(a, m); }
      let g = m.get(b);
      if (!g) { g = newGroup(); m.set(b, g); }
      return g;
    };

    for (const ev of ctx.events) {
      if (ev.src === undefined || ev.dst === undefined || ev.dport === undefined || !isSubject(ev.src)) continue;
      if (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP) continue;
      if (ev.fragment && ev.fragment.offset > 0) continue;
      let type: ProbeType | null = null;
      let revStats: DirStats | undefined;
      if (ev.kind === 'packet') {
        const k = tupleKey(ev);
        if (done.has(k)) continue;
        done.add(k);
        const fwd = stats.get(k)!;
        revStats = stats.get(reverseKey(ev));
        // They spoke first: whatever we sent is an answer (SYN-ACK, RST, reply datagram).
        if (revStats && revStats.firstTs < fwd.firstTs) continue;
        if (ev.proto === IPPROTO_TCP) {
          if (fwd.data || revStats?.data) type = null;
          else type = classifyProbe(ev.tcpFlags ?? 0, fwd, revStats);
          // Not an attempt at all (e.g. our stray ACK/RST): do not count it either way.
          if (type === null && (ev.tcpFlags ?? 0) & TCP_RST && !((ev.tcpFlags ?? 0) & TCP_SYN)) continue;
        } else {
          if (ev.sport !== undefined && UDP_SERVICE_PORTS.has(ev.sport) && ev.dport >= 1024) continue;
          // A datagram that got a datagram back was a working exchange (DNS, NTP ...).
          type = revStats ? null : 'UDP';
        }
      } else if (ev.kind === 'flow' && ev.flow) {
        // Flow summaries (argus, Zeek conn.log): tiny flows without payload are probes.
        const f = ev.flow;
        const tiny = f.pktsOut <= 3 && f.pktsIn <= 2;
        type = tiny ? (ev.proto === IPPROTO_UDP ? 'UDP' : 'flow-record') : null;
      } else continue;

      const targetKey = ev.dst;
      const portKey = `${ev.proto === IPPROTO_UDP ? 'udp' : 'tcp'}/${ev.dport}`;
      for (const [g, key] of [
        [group(vertical, ev.src, targetKey), portKey] as const,
        [group(horizontal, ev.src, portKey), ev.dst] as const,
      ]) {
        g.attempts++;
        if (type === null) continue;
        g.probes++;
        g.keys.add(key);
        bump(g.byType, type);
        if (ev.ts < g.firstTs) g.firstTs = ev.ts;
        if (ev.ts > g.lastTs) g.lastTs = ev.ts;
        g.sampler.add(ev);
        if (revStats) {
          if (revStats.flagsOr & TCP_RST) g.answeredRst++;
          else if (revStats.flagsOr & TCP_SYN && revStats.flagsOr & TCP_ACK) g.answeredSynAck++;
        }
      }
    }

    const findings: Finding[] = [];
    for (const [scanner, byTarget] of vertical) {
      const hits = [...byTarget].filter(([, g]) => g.keys.size >= VERTICAL_MIN_PORTS && g.probes / g.attempts >= MIN_PROBE_SHARE);
      if (hits.length === 0) continue;
      hits.sort((a, b) => b[1].keys.size - a[1].keys.size);
      findings.push(verticalFinding(scanner, hits, isTarget));
    }
    for (const [scanner, byPort] of horizontal) {
      const hits = [...byPort].filter(([, g]) => g.keys.size >= HORIZONTAL_MIN_HOSTS && g.probes / g.attempts >= MIN_PROBE_SHARE);
      if (hits.length === 0) continue;
      hits.sort((a, b) => b[1].keys.size - a[1].keys.size);
      findings.push(horizontalFinding(scanner, hits, isTarget));
    }
    return findings;
  },
};

function merge(groups: Group[]): { probes: number; attempts: number; byType: Map<ProbeType, number>; firstTs: number; lastTs: number; rst: number; synAck: number } {
  const byType = new Map<ProbeType, number>();
  let probes = 0, attempts = 0, rst = 0, synAck = 0, firstTs = Infinity, lastTs = -Infinity;
  for (const g of groups) {
    probes += g.probes; attempts += g.attempts; rst += g.answeredRst; synAck += g.answeredSynAck;
    firstTs = Math.min(firstTs, g.firstTs); lastTs = Math.max(lastTs, g.lastTs);
    for (const [t, c] of g.byType) byType.set(t, (byType.get(t) ?? 0) + c);
  }
  return { probes, attempts, byType, firstTs, lastTs, rst, synAck };
}

function evidenceOf(groups: Group[]): NetEvent[] {
  // The biggest group gives first/last and samples; the others one line each.
  const [main, ...rest] = groups;
  const evs = main.sampler.events(Math.max(6, 12 - rest.length));
  for (const g of rest) { if (evs.length >= 12) break; evs.push(g.sampler.first[0]); }
  return evs.sort((a, b) => a.ts - b.ts);
}

/** What made these conversations probes, in the terms of their protocol: UDP probes may carry payload, TCP ones do not. */
function probeShape(t: ProbeType): string {
  if (t === 'UDP') return 'none got a datagram back';
  if (t === 'flow-record') return 'each flow record shows at most 3 packets out and 2 back, too few for a session';
  return 'none carried payload';
}

/** scan.zeek counts failed TCP connections only: it says nothing about UDP probes or flow summaries. */
function isTcpScan(t: ProbeType): boolean {
  return t !== 'UDP' && t !== 'flow-record';
}

/** Stealth probes (no flags, lone FIN, Xmas, SYN+FIN) are sent by no ordinary client software. */
function stealthBonus(t: ProbeType): number {
  return t === 'FIN' || t === 'NULL' || t === 'Xmas' || t === 'SYN-FIN' ? 0.1 : 0;
}

function verticalFinding(scanner: string, hits: Array<[string, Group]>, isTarget: (a: string) => boolean): Finding {
  const groups = hits.map(([, g]) => g);
  const m = merge(groups);
  const type = scanType(m.byType);
  const [topTarget, top] = hits[0];
  const ports = sortedNums([...top.keys].map((k) => Number(k.split('/')[1])));
  const span = seconds(m.firstTs, m.lastTs);
  const r = rate(m.probes, m.firstTs, m.lastTs);
  const targets = hits.map(([t, g]) => `${t} (${g.keys.size} ports)`);
  const who = hits.length === 1 ? topTarget : `${hits.length} hosts (most: ${topTarget}, ${top.keys.size} ports)`;
  return {
    id: 'outbound-port-scan',
    detector: 'outbound-scan',
    leaning: 'compromise',
    strength: strength(0.55 + Math.min(0.3, top.keys.size / 300) + stealthBonus(type)),
    summary: `${scanner} ran a ${TYPE_WORDS[type]} of ${who}: ${m.probes} probes to ${top.keys.size} ports in ${span} s (${r}/s).`,
    explanation:
      `Our host opened every one of these conversations itself (no packet from the other side preceded them) and ${probeShape(type)}, `
      + 'so they are probes, not replies from a service of ours.'
      + (m.rst || m.synAck ? ` ${m.rst} were answered with RST (closed port)${m.synAck ? ` and ${m.synAck} with SYN-ACK (open port)` : ''}.` : '')
      + (isTcpScan(type) ? ` Zeek's scan.zeek reports a port scan from ${VERTICAL_MIN_PORTS} ports on one host.` : ''),
    evidence: evidenceOf(groups).map((e) => refOf(e)),
    facts: {
      scanner, direction: 'vertical', scanType: type, scanTypeWords: TYPE_WORDS[type], probeTypes: typeCounts(m.byType),
      targets, targetCount: hits.length, targetsInComplaint: hits.filter(([t]) => isTarget(t)).length,
      ports: ports.slice(0, 50), portCount: top.keys.size, portList: listSome(ports, 20),
      probes: m.probes, attempts: m.attempts, answeredRst: m.rst, answeredSynAck: m.synAck,
      firstTs: m.firstTs, lastTs: m.lastTs, spanSeconds: span, probesPerSecond: r,
    },
  };
}

function horizontalFinding(scanner: string, hits: Array<[string, Group]>, isTarget: (a: string) => boolean): Finding {
  const groups = hits.map(([, g]) => g);
  const m = merge(groups);
  const type = scanType(m.byType);
  const [topPort, top] = hits[0];
  const span = seconds(m.firstTs, m.lastTs);
  const r = rate(m.probes, m.firstTs, m.lastTs);
  const hosts = [...top.keys];
  const portsText = hits.length === 1 ? `port ${topPort}` : `${hits.length} ports (most: ${topPort})`;
  return {
    id: 'outbound-sweep',
    detector: 'outbound-scan',
    leaning: 'compromise',
    strength: strength(0.55 + Math.min(0.3, top.keys.size / 500) + stealthBonus(type)),
    summary: `${scanner} swept ${portsText} across ${top.keys.size} hosts with ${TYPE_WORDS[type]} probes in ${span} s (${r}/s).`,
    explanation:
      `Each of these conversations was opened by our host and ${probeShape(type)}.`
      + (isTcpScan(type) ? ` Zeek's scan.zeek reports an address scan from ${HORIZONTAL_MIN_HOSTS} hosts on one port.` : ''),
    evidence: evidenceOf(groups).map((e) => refOf(e)),
    facts: {
      scanner, direction: 'horizontal', scanType: type, scanTypeWords: TYPE_WORDS[type], probeTypes: typeCounts(m.byType),
      ports: hits.map(([p]) => p), portCount: hits.length, targetCount: top.keys.size,
      targetsInComplaint: hosts.filter((h) => isTarget(h)).length, targetSample: hosts.slice(0, 20),
      probes: m.probes, attempts: m.attempts, answeredRst: m.rst, answeredSynAck: m.synAck,
      firstTs: m.firstTs, lastTs: m.lastTs, spanSeconds: span, probesPerSecond: r,
    },
  };
}

