import { flagWords, IPPROTO_TCP, type NetEvent } from '../events/event';
import { unreachableSourceReason } from '../util/net';
import type { DetectContext, Detector, Finding } from './detector';
import { ref, sample } from './excerpt';
import { flowSessions, type FlowSession } from './flow-sessions';
import { distinct, isPacket, isRst, isSyn, isSynAck, listSome, mode, pairKey } from './common';

/** Fewer distinct sources than this is not a flood, whatever the rate. */
const MIN_FLOOD_SOURCES = 20;

interface ServiceStats {
  server: string;
  port: number;
  syns: NetEvent[];
  sources: Set<string>;
  completed: number;
  attempts: number;
}

/**
 * Spoofed-flood backscatter (seed 001, first theory; CAIDA's backscatter
 * method): someone floods our service with SYNs whose source addresses are
 * forged, some of them the complainant's. Our stack answers each with a
 * SYN-ACK (open port) or RST (closed), so the complainant sees packets "from
 * our port 80" to many of their ports: a scan in their IDS, an answer on ours.
 *
 * The proof is in our capture: every answer we sent them follows a SYN that
 * carried their address, the SYNs come from many sources with scattered TTLs
 * and one tool's fingerprint, and the handshakes are never completed.
 */
export const synfloodBackscatter: Detector = {
  id: 'synflood-backscatter',
  detect(ctx: DetectContext): Finding[] {
    const pkts = ctx.events.filter(isPacket).filter((e) => e.proto === IPPROTO_TCP);
    const findings: Finding[] = [];
    // An address no network can route is nobody's server: the impossible-source detector speaks for it.
    for (const server of ctx.accused.filter((a) => !unreachableSourceReason(a, ctx.targets))) {
      const inbound = pkts.filter((e) => e.dst === server && isSyn(e) && e.dport !== undefined);
      const services = serviceStats(server, inbound, pkts);
      const floods = services.filter((s) => s.sources.size >= MIN_FLOOD_SOURCES && s.completed / Math.max(1, s.attempts) < 0.2);
      for (const flood of floods) findings.push(floodFinding(flood));
      findings.push(...answersToComplainant(ctx, server, pkts, floods));
      if (inbound.length === 0) findings.push(...fromFlowRecords(ctx, server));
    }
    return findings;
  },
};

function serviceStats(server: string, inbound: NetEvent[], pkts: NetEvent[]): ServiceStats[] {
  const byPort = new Map<number, ServiceStats>();
  for (const e of inbound) {
    let s = byPort.get(e.dport!);
    if (!s) byPort.set(e.dport!, (s = { server, port: e.dport!, syns: [], sources: new Set(), completed: 0, attempts: 0 }));
    s.syns.push(e);
    s.sources.add(e.src!);
  }
  // A handshake is completed when the client, after our SYN-ACK, sends an ACK or data on the same 4-tuple.
  const clientFollowUp = new Set<string>();
  for (const e of pkts) {
    if (e.dst === server && e.tcpFlags !== undefined && !isSyn(e) && !isRst(e)) clientFollowUp.add(pairKey(e.src!, e.sport, e.dst, e.dport));
  }
  for (const s of byPort.values()) {
    const tuples = new Set(s.syns.map((e) => pairKey(e.src!, e.sport, e.dst!, e.dport)));
    s.attempts = tuples.size;
    for (const t of tuples) if (clientFollowUp.has(t)) s.completed++;
  }
  return [...byPort.values()];
}

function floodFinding(s: ServiceStats): Finding {
  const ttls = s.syns.map((e) => e.ttl ?? -1).filter((t) => t >= 0);
  const fingerprint = mode(s.syns.map((e) => `win ${e.window ?? '?'}${e.tcpOptions ? `, options ${e.tcpOptions}` : ', no options'}`));
  const span = (s.syns[s.syns.length - 1].ts - s.syns[0].ts) / 1e6;
  const rate = span > 0 ? Math.round(s.syns.length / span) : s.syns.length;
  return {
    id: 'inbound-syn-flood',
    detector: 'synflood-backscatter',
    leaning: 'backscatter',
    strength: 0.5 + 0.3 * Math.min(1, s.sources.size / 200) + (fingerprint.share > 0.8 ? 0.1 : 0),
    summary: `${s.server} port ${s.port} received a SYN flood: ${s.syns.length} SYNs from ${s.sources.size} different source addresses in ${span.toFixed(1)} s (about ${rate}/s); ${s.completed} of ${s.attempts} handshakes were completed.`,
    explanation: `The SYNs carry ${distinct(ttls)} different TTL values (${Math.min(...ttls)}-${Math.max(...ttls)}) and ${Math.round(fingerprint.share * 100)}% share one fingerprint (${fingerprint.value}), the signature of one flooding tool forging its source addresses rather than of ${s.sources.size} real clients.`,
    evidence: sample(s.syns, 6).map(ref),
    facts: {
      server: s.server, port: s.port, syns: s.syns.length, sources: s.sources.size, completed: s.completed,
      attempts: s.attempts, ratePerSecond: rate, ttlDistinct: distinct(ttls), fingerprint: fingerprint.value ?? '',
      fingerprintShare: Math.round(fingerprint.share * 100),
    },
  };
}

/** Our SYN-ACKs and RSTs to the complainant, and the forged SYNs that provoked them. */
function answersToComplainant(ctx: DetectContext, server: string, pkts: NetEvent[], floods: ServiceStats[]): Finding[] {
  const findings: Finding[] = [];
  const targets = ctx.targets.length ? ctx.targets : [];
  for (const target of targets) {
    const answers = pkts.filter((e) => e.src === server && e.dst === target && (isSynAck(e) || (isRst(e) && !isSyn(e))));
    if (answers.length === 0) continue;
    // The complainant completing handshakes means real sessions: the server-answering detector's case, not backscatter.
    const completedFromTarget = pkts.some((e) => e.src === target && e.dst === server && e.tcpFlags !== undefined && !isSyn(e) && !isRst(e));
    if (completedFromTarget) continue;
    const ourOutbound = pkts.filter((e) => e.src === server && e.dst === target);
    // Did the complainant's address send the SYN that each answer replies to?
    const synFromTarget = new Map<string, NetEvent>();
    for (const e of pkts) if (e.src === target && e.dst === server && isSyn(e)) synFromTarget.set(pairKey(e.dst, e.dport, e.src, e.sport), e);
    const provoked = answers.filter((a) => synFromTarget.has(pairKey(a.src!, a.sport, a.dst!, a.dport)));
    const ports = distinct(answers.map((a) => a.dport));
    const synAcks = answers.filter(isSynAck).length;
    const rsts = answers.length - synAcks;
    const servicePorts = [...new Set(answers.map((a) => a.sport!))];
    const inFlood = floods.some((f) => servicePorts.includes(f.port) && f.sources.has(target));
    // The flood on the port that answered (else any flood seen), by its own count of sources.
    const floodOn = floods.filter((f) => servicePorts.includes(f.port));
    const floodSources = Math.max(0, ...(floodOn.length ? floodOn : floods).map((f) => f.sources.size));
    const share = provoked.length / answers.length;
    const onlyAnswers = answers.length === ourOutbound.length;
    let strength = 0.35;
    if (onlyAnswers) strength += 0.15;
    if (share > 0.9) strength += 0.25;
    if (inFlood || floods.length > 0) strength += 0.2;
    const kinds = [synAcks ? `${synAcks} SYN-ACK` : '', rsts ? `${rsts} RST` : ''].filter(Boolean).join(' and ');
    findings.push({
      id: 'backscatter-to-complainant',
      detector: 'synflood-backscatter',
      leaning: 'backscatter',
      strength: Math.max(0, Math.min(0.95, strength)),
      summary: `Everything ${server} sent to ${target} was ${kinds} answers from port ${listSome(servicePorts)} to ${ports} different ports; ${provoked.length} of ${answers.length} answer a SYN that arrived carrying ${target} as its source.`,
      explanation: `A SYN-ACK or RST is what a TCP stack sends back when it receives a SYN (RFC 9293 §3.5). Our host never opened a connection to ${target}: it answered SYNs that arrived with ${target}'s address as the source${floodSources ? `, during a SYN flood from ${floodSources} different source addresses` : ''}. Those answers (backscatter) go to whoever's address was forged, which is why your sensor saw "port ${listSome(servicePorts)}" talking to many of your ports.`,
      evidence: [
        ...sample(answers, 6).map(ref),
        ...sample(provoked.map((a) => synFromTarget.get(pairKey(a.src!, a.sport, a.dst!, a.dport))!), 3).map(ref),
      ],
      facts: {
        server, target, answers: answers.length, synAcks, rsts, distinctPorts: ports, provoked: provoked.length,
        servicePorts, flags: [...new Set(answers.map((a) => flagWords(a.tcpFlags)))],
      },
    });
  }
  return findings;
}

/**
 * The same reasoning over flow records (argus, Zeek conn.log), which carry
 * no TTLs or TCP options: attempts to our service from many sources that
 * never completed, and the complainant's "conversations" among them.
 */
function fromFlowRecords(ctx: DetectContext, server: string): Finding[] {
  const attempts = flowSessions(ctx.events).filter((s) => s.server === server && s.proto === IPPROTO_TCP && s.serverPort !== undefined);
  if (attempts.length === 0) return [];
  const findings: Finding[] = [];
  const byPort = new Map<number, FlowSession[]>();
  for (const a of attempts) byPort.set(a.serverPort!, [...(byPort.get(a.serverPort!) ?? []), a]);
  const floodPorts: number[] = [];
  for (const [port, list] of byPort) {
    const half = list.filter((s) => !s.established);
    const sources = new Set(half.map((s) => s.client));
    if (sources.size < MIN_FLOOD_SOURCES || half.length / list.length < 0.8) continue;
    floodPorts.push(port);
    const span = (Math.max(...half.map((s) => s.ev.ts)) - Math.min(...half.map((s) => s.ev.ts))) / 1e6;
    findings.push({
      id: 'inbound-syn-flood',
      detector: 'synflood-backscatter',
      leaning: 'backscatter',
      strength: 0.5 + 0.3 * Math.min(1, sources.size / 200),
      summary: `${server} port ${port} received a SYN flood: ${half.length} connection attempts from ${sources.size} different source addresses in ${span.toFixed(1)} s, ${list.length - half.length} of ${list.length} completed (flow records).`,
      explanation: 'Thousands of sources that each try once and never complete the handshake are forged addresses, not clients: a SYN flood.',
      evidence: sample(half.map((s) => s.ev), 6).map(ref),
      facts: { server, port, syns: half.length, sources: sources.size, completed: list.length - half.length, attempts: list.length, fromFlowRecords: true },
    });
  }
  for (const target of ctx.targets) {
    const theirs = attempts.filter((s) => s.client === target);
    if (theirs.length === 0 || theirs.some((s) => s.established)) continue;
    const ours = flowSessions(ctx.events).filter((s) => s.client === server && s.server === target);
    const answered = theirs.filter((s) => s.answered !== false);
    const ports = new Set(theirs.map((s) => s.clientPort));
    const servicePorts = [...new Set(theirs.map((s) => s.serverPort!))];
    let strength = 0.35 + (ours.length === 0 ? 0.15 : 0) + (answered.length === theirs.length ? 0.15 : 0) + (floodPorts.some((p) => servicePorts.includes(p)) ? 0.25 : 0);
    strength = Math.min(0.9, strength);
    findings.push({
      id: 'backscatter-to-complainant',
      detector: 'synflood-backscatter',
      leaning: 'backscatter',
      strength,
      summary: `Our flow records show ${theirs.length} connection attempts "from" ${target} (${ports.size} different source ports) to ${server} port ${listSome(servicePorts)}, none completed; ${answered.length} were answered by our host (SYN-ACK or RST), and ${server} started no conversation with ${target}.`,
      explanation: `Each of these records begins with a SYN carrying ${target}'s address as its source. Our host answered with a SYN-ACK or RST, as any TCP stack does (RFC 9293 §3.5), and the answers went to ${target}: backscatter of a flood that forged your address, which your sensor counted as a scan from our port ${servicePorts[0]}.`,
      evidence: sample(theirs.map((s) => s.ev), 8).map(ref),
      facts: { server, target, attempts: theirs.length, answers: answered.length, distinctPorts: ports.size, servicePorts, startedByUs: ours.length, fromFlowRecords: true },
    });
  }
  return findings;
}
