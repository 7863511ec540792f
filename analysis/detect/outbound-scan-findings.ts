import type { NetEvent } from '../events/event';
import type { Finding } from './detector';
import { EvidenceSampler, ref as refOf } from './excerpt';
import { listSome, rate, seconds, sortedNums, strength } from './common';
import type { DistinctCounter } from './sketch/distinct-counter';

/** The wording of outbound-scan's findings, from the groups its finish built. */

export const VERTICAL_MIN_PORTS = 15;
export const HORIZONTAL_MIN_HOSTS = 25;

export type ProbeType = 'SYN' | 'connect' | 'FIN' | 'NULL' | 'Xmas' | 'ACK' | 'SYN-FIN' | 'UDP' | 'flow-record';

/** Attempts from one scanner to one target (vertical: `ports`) or to one port (horizontal: `hosts`). */
export interface Group {
  /** Probed ports, UDP ones offset by 65536: at most 131072, so kept exactly. */
  ports?: Set<number>;
  /** Probed hosts: exact up to the counter's limit, then estimated. */
  hosts?: DistinctCounter;
  /** The first hosts probed, in time order, for the reply. */
  firstHosts?: string[];
  /** Probed hosts that the complaint names (only when it names some). */
  namedHosts?: Set<string>;
  attempts: number;
  probes: number;
  byType: Map<ProbeType, number>;
  firstTs: number;
  lastTs: number;
  answeredRst: number;
  answeredSynAck: number;
  sampler: EvidenceSampler;
}

/** Conversations that were past the table's limit and so not classified. */
export interface Unclassified {
  conversations: number;
  exact: boolean;
  limit: number;
}

export function keyCount(g: Group): number {
  return g.ports ? g.ports.size : g.hosts!.count();
}

/** nmap's names for the probe types, for the reply. */
const TYPE_WORDS: Record<ProbeType, string> = {
  SYN: 'TCP SYN (half-open) scan', connect: 'TCP connect scan', FIN: 'TCP FIN scan', NULL: 'TCP NULL scan',
  Xmas: 'TCP Xmas scan', ACK: 'TCP ACK scan', 'SYN-FIN': 'TCP SYN+FIN scan', UDP: 'UDP scan',
  'flow-record': 'scan (seen in flow records)',
};

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

/** Past the table's limit the counts are lower bounds: said in the summary and the facts, never left out silently. */
function boundNote(u: Unclassified | undefined): { text: string; facts: Record<string, number | boolean> } {
  if (!u) return { text: '', facts: {} };
  return {
    text: ` These counts are at least what happened: ${u.exact ? '' : 'about '}${u.conversations} further conversations were past `
      + `the ${u.limit} tracked and were not classified.`,
    facts: { unclassifiedConversations: u.conversations, unclassifiedExact: u.exact, conversationLimit: u.limit },
  };
}

export function verticalFinding(scanner: string, hits: Array<[string, Group]>, isTarget: (a: string) => boolean, u?: Unclassified): Finding {
  const groups = hits.map(([, g]) => g);
  const m = merge(groups);
  const type = scanType(m.byType);
  const [topTarget, top] = hits[0];
  const portCount = keyCount(top);
  const ports = sortedNums([...top.ports!].map((k) => k & 0xffff));
  const span = seconds(m.firstTs, m.lastTs);
  const r = rate(m.probes, m.firstTs, m.lastTs);
  const targets = hits.map(([t, g]) => `${t} (${keyCount(g)} ports)`);
  const who = hits.length === 1 ? topTarget : `${hits.length} hosts (most: ${topTarget}, ${portCount} ports)`;
  const bound = boundNote(u);
  return {
    id: 'outbound-port-scan',
    detector: 'outbound-scan',
    leaning: 'compromise',
    strength: strength(0.55 + Math.min(0.3, portCount / 300) + stealthBonus(type)),
    summary: `${scanner} ran a ${TYPE_WORDS[type]} of ${who}: ${m.probes} probes to ${portCount} ports in ${span} s (${r}/s).${bound.text}`,
    explanation:
      `Our host opened every one of these conversations itself (no packet from the other side preceded them) and ${probeShape(type)}, `
      + 'so they are probes, not replies from a service of ours.'
      + (m.rst || m.synAck ? ` ${m.rst} were answered with RST (closed port)${m.synAck ? ` and ${m.synAck} with SYN-ACK (open port)` : ''}.` : '')
      + (isTcpScan(type) ? ` Zeek's scan.zeek reports a port scan from ${VERTICAL_MIN_PORTS} ports on one host.` : ''),
    evidence: evidenceOf(groups).map((e) => refOf(e)),
    facts: {
      scanner, direction: 'vertical', scanType: type, scanTypeWords: TYPE_WORDS[type], probeTypes: typeCounts(m.byType),
      targets, targetCount: hits.length, targetsInComplaint: hits.filter(([t]) => isTarget(t)).length,
      ports: ports.slice(0, 50), portCount, portList: listSome(ports, 20),
      probes: m.probes, attempts: m.attempts, answeredRst: m.rst, answeredSynAck: m.synAck,
      firstTs: m.firstTs, lastTs: m.lastTs, spanSeconds: span, probesPerSecond: r,
      ...bound.facts,
    },
  };
}

export function horizontalFinding(scanner: string, hits: Array<[string, Group]>, namedTargets: boolean, u?: Unclassified): Finding {
  const groups = hits.map(([, g]) => g);
  const m = merge(groups);
  const type = scanType(m.byType);
  const [topPort, top] = hits[0];
  const hostCount = keyCount(top);
  const about = top.hosts!.exact ? '' : 'about ';
  const span = seconds(m.firstTs, m.lastTs);
  const r = rate(m.probes, m.firstTs, m.lastTs);
  const portsText = hits.length === 1 ? `port ${topPort}` : `${hits.length} ports (most: ${topPort})`;
  const bound = boundNote(u);
  return {
    id: 'outbound-sweep',
    detector: 'outbound-scan',
    leaning: 'compromise',
    strength: strength(0.55 + Math.min(0.3, hostCount / 500) + stealthBonus(type)),
    summary: `${scanner} swept ${portsText} across ${about}${hostCount} hosts with ${TYPE_WORDS[type]} probes in ${span} s (${r}/s).${bound.text}`,
    explanation:
      `Each of these conversations was opened by our host and ${probeShape(type)}.`
      + (isTcpScan(type) ? ` Zeek's scan.zeek reports an address scan from ${HORIZONTAL_MIN_HOSTS} hosts on one port.` : ''),
    evidence: evidenceOf(groups).map((e) => refOf(e)),
    facts: {
      scanner, direction: 'horizontal', scanType: type, scanTypeWords: TYPE_WORDS[type], probeTypes: typeCounts(m.byType),
      ports: hits.map(([p]) => p), portCount: hits.length, targetCount: hostCount,
      targetsInComplaint: namedTargets ? top.namedHosts!.size : hostCount, targetSample: top.firstHosts!,
      probes: m.probes, attempts: m.attempts, answeredRst: m.rst, answeredSynAck: m.synAck,
      firstTs: m.firstTs, lastTs: m.lastTs, spanSeconds: span, probesPerSecond: r,
      ...(top.hosts!.exact ? {} : { targetCountExact: false }),
      ...bound.facts,
    },
  };
}

/** No scan found, but some conversations were never classified: the operator must know a scan could hide there. */
export function unclassifiedFinding(u: Unclassified): Finding {
  return {
    id: 'outbound-scan-incomplete',
    bound: true,
    detector: 'outbound-scan',
    leaning: 'context',
    strength: 0,
    summary: `No outbound scan among the ${u.limit} conversations tracked; ${u.exact ? '' : 'about '}${u.conversations} further `
      + 'conversations were counted but not classified, so a scan among them would not be reported.',
    evidence: [],
    facts: { unclassifiedConversations: u.conversations, unclassifiedExact: u.exact, conversationLimit: u.limit },
  };
}
