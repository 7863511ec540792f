import {
  IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_SYN, type NetEvent,
} from '../events/event';
import type { DetectContext, Finding } from './detector';
import { ref } from './excerpt';
import { isOneWayNetflow } from './flow-sessions';
import { listSome, median, rate, seconds, strength } from './common';
import { DistinctCounter } from './sketch/distinct-counter';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';
import { FirstPerKey, TimeSample, eventOrder, replay, slim } from './stream-evidence';
import { streamSubject } from './stream-subject';
import { BurstTracker, PRECEDED_WITHIN_US, burstFigures, precededList, type BurstGroup, type BurstStats } from './worm-bursts';

/**
 * Propagation patterns of worms, seen from the infected host's side:
 *  - TCP sweeps of the Windows RPC/NetBIOS/SMB/MS-SQL ports (Blaster 135, Sasser and
 *    Conficker 445, Nimda/Opaserv 139, Spida 1433);
 *  - SQL Slammer: one 376-byte UDP datagram to 1434 (CERT CA-2003-04, the payload
 *    starts with 0x04, the SQL Server Resolution Service "CLNT_UCAST_INST" opcode);
 *  - ICMP echo sweeps (Welchia/Nachi pinged with 64 bytes of 0xAA before infecting);
 *  - periodic bursts: a fixed source port sending a few UDP datagrams of a fixed size to
 *    consecutive destination ports, again and again (incidents list, 2002-02-25,
 *    "Possible Worm: UDP Source port 770": bursts of 5 datagrams, 28 bytes, to a directed broadcast).
 *
 * Streaming: sweeps and pings keep each target's first packet (up to a
 * bound) and count targets with a DistinctCounter; Slammer keeps a bounded
 * time sample; bursts are followed per file (worm-bursts.ts). Each source is
 * listed in the order of its earliest packet, whatever order the events came in.
 */

const WORM_TCP_PORTS = new Map<number, string>([
  [135, 'MS-RPC (Blaster, Welchia)'], [139, 'NetBIOS session (Nimda, Opaserv)'],
  [445, 'SMB (Sasser, Conficker, WannaCry)'], [1433, 'MS-SQL (Spida)'],
]);
/** Distinct hosts one worm port must be tried on: a few file servers are normal, a sweep is not. */
const SWEEP_MIN_HOSTS = 10;
const PING_MIN_HOSTS = 25;
const BURSTS_MIN = 3;
/** Sources followed per pattern (sweep source and port, Slammer source, ping source); further ones are counted. */
export const MAX_SOURCES = 256;
/** Targets per source whose first packet is kept for evidence and listing; all are counted. */
export const MAX_TARGETS_KEPT = 4096;
/** Worm-port conversations whose SYN and payload are matched, for the share that carried data. */
export const MAX_SWEEP_TUPLES = 500_000;
/** Slammer datagrams kept per source for evidence (all while fewer). */
const SLAMMER_SAMPLE = 1024;

const SYN_SEEN = 1;
const DATA_SEEN = 2;

interface Sweep { hosts: DistinctCounter; firsts: FirstPerKey; first: number; last: number; firstEv: NetEvent }
interface Slammer { hosts: DistinctCounter; sample: TimeSample; signature: number; firstEv: NetEvent }
interface Pings { hosts: DistinctCounter; firsts: FirstPerKey; first: number; last: number; welchia: number; firstEv: NetEvent }

/** A map of per-source state that stops growing at MAX_SOURCES; `dropped` counts the events of the sources it turned away. */
export class Sources<T extends { firstEv: NetEvent }> {
  readonly map = new Map<string, T>();
  dropped = 0;

  constructor(private readonly make: (ev: NetEvent) => T) {}

  get(key: string, ev: NetEvent): T | undefined {
    let s = this.map.get(key);
    if (s) { if (eventOrder(ev, s.firstEv) < 0) s.firstEv = slim(ev); return s; }
    if (this.map.size >= MAX_SOURCES) { this.dropped++; return undefined; }
    s = this.make(ev);
    this.map.set(key, s);
    return s;
  }

  merge(other: Sources<T>, fold: (mine: T, theirs: T) => void): void {
    for (const [k, t] of other.map) {
      const s = this.map.get(k);
      if (s) { fold(s, t); if (eventOrder(t.firstEv, s.firstEv) < 0) s.firstEv = t.firstEv; } else if (this.map.size < MAX_SOURCES) this.map.set(k, t);
      else this.dropped++;
    }
    this.dropped += other.dropped;
  }

  /** In the order of each source's earliest event. */
  sorted(): Array<[string, T]> {
    return [...this.map].sort((a, b) => eventOrder(a[1].firstEv, b[1].firstEv));
  }
}

/** Facts about a bound that was reached, for every finding of the pattern: never left out silently. */
function bounds(parts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parts)) if (v > 0) out[k] = v;
  return out;
}

export class WormAccumulator implements Accumulator {
  private readonly isSubject: (a: string | undefined) => boolean;
  readonly sweeps = new Sources<Sweep>((ev) => ({
    hosts: new DistinctCounter(MAX_TARGETS_KEPT), firsts: new FirstPerKey(MAX_TARGETS_KEPT), first: ev.ts, last: ev.ts, firstEv: slim(ev),
  }));
  readonly slammer = new Sources<Slammer>((ev) => ({ hosts: new DistinctCounter(MAX_TARGETS_KEPT), sample: new TimeSample(SLAMMER_SAMPLE), signature: 0, firstEv: slim(ev) }));
  readonly pings = new Sources<Pings>((ev) => ({
    hosts: new DistinctCounter(MAX_TARGETS_KEPT), firsts: new FirstPerKey(MAX_TARGETS_KEPT), first: ev.ts, last: ev.ts, welchia: 0, firstEv: slim(ev),
  }));
  /** Worm-port conversation (our address|port|their address|worm port) -> SYN_SEEN | DATA_SEEN. */
  readonly tuples = new Map<string, number>();
  tupleOverflow = 0;
  readonly bursts = new BurstTracker();

  constructor(ctx: StreamContext) {
    this.isSubject = streamSubject(ctx);
  }

  add(record: NetEvent): void {
    const ev = record.kind === 'packet' ? record : asDatagram(record);
    if (!ev || ev.src === undefined || ev.dst === undefined) return;
    if (ev.proto === IPPROTO_TCP && (ev.payloadLength ?? 0) > 0) this.markData(ev);
    if (!this.isSubject(ev.src)) return;

    if (ev.proto === IPPROTO_TCP && ev.dport !== undefined && WORM_TCP_PORTS.has(ev.dport)
      && ((ev.tcpFlags ?? 0) & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
      const s = this.sweeps.get(`${ev.src}|${ev.dport}`, ev);
      if (s) {
        s.hosts.add(ev.dst);
        s.firsts.add(ev.dst, ev);
        if (ev.ts < s.first) s.first = ev.ts;
        if (ev.ts > s.last) s.last = ev.ts;
      }
      this.markTuple(`${ev.src}|${ev.sport ?? ''}|${ev.dst}|${ev.dport}`, SYN_SEEN);
    } else if (ev.proto === IPPROTO_UDP) {
      if (ev.dport === 1434 && ev.payloadLength === 376) {
        const s = this.slammer.get(ev.src, ev);
        if (s) {
          s.hosts.add(ev.dst);
          s.sample.add(slim(ev));
          if (ev.payload && ev.payload[0] === 0x04) s.signature++;
        }
      }
      if (ev.sport !== undefined && ev.dport !== undefined && !(ev.fragment && ev.fragment.offset > 0)) this.bursts.add(ev);
    } else if ((ev.proto === IPPROTO_ICMP && ev.icmp?.type === 8) || (ev.proto === IPPROTO_ICMPV6 && ev.icmp?.type === 128)) {
      const s = this.pings.get(ev.src, ev);
      if (!s) return;
      s.hosts.add(ev.dst);
      s.firsts.add(ev.dst, ev);
      if (ev.ts < s.first) s.first = ev.ts;
      if (ev.ts > s.last) s.last = ev.ts;
      if (ev.payloadLength === 64 && ev.payload && ev.payload.length > 8 && ev.payload.every((b) => b === 0xaa)) s.welchia++;
    }
  }

  /** TCP payload on a worm-port conversation of ours, in either direction. */
  private markData(ev: NetEvent): void {
    if (this.isSubject(ev.src) && ev.dport !== undefined && WORM_TCP_PORTS.has(ev.dport)) {
      this.markTuple(`${ev.src}|${ev.sport ?? ''}|${ev.dst}|${ev.dport}`, DATA_SEEN);
    }
    if (this.isSubject(ev.dst) && ev.sport !== undefined && WORM_TCP_PORTS.has(ev.sport)) {
      this.markTuple(`${ev.dst}|${ev.dport ?? ''}|${ev.src}|${ev.sport}`, DATA_SEEN);
    }
  }

  private markTuple(key: string, bit: number): void {
    const v = this.tuples.get(key);
    if (v !== undefined) this.tuples.set(key, v | bit);
    else if (this.tuples.size < MAX_SWEEP_TUPLES) this.tuples.set(key, bit);
    else this.tupleOverflow++;
  }

  merge(other: Accumulator): void {
    const o = other as WormAccumulator;
    this.sweeps.merge(o.sweeps, (a, b) => {
      a.hosts.merge(b.hosts); a.firsts.merge(b.firsts); a.first = Math.min(a.first, b.first); a.last = Math.max(a.last, b.last);
    });
    this.slammer.merge(o.slammer, (a, b) => { a.hosts.merge(b.hosts); a.sample.merge(b.sample); a.signature += b.signature; });
    this.pings.merge(o.pings, (a, b) => {
      a.hosts.merge(b.hosts); a.firsts.merge(b.firsts); a.first = Math.min(a.first, b.first); a.last = Math.max(a.last, b.last); a.welchia += b.welchia;
    });
    for (const [k, bit] of o.tuples) this.markTuple(k, bit);
    this.tupleOverflow += o.tupleOverflow;
    this.bursts.merge(o.bursts);
  }

  finish(_ctx: DetectContext): Finding[] {
    return [...this.sweepFindings(), ...this.slammerFindings(), ...this.pingFindings(), ...this.burstFindings()];
  }

  private sweepFindings(): Finding[] {
    // Attempts and those that carried data, per source and port, from the worm-port conversations.
    const counts = new Map<string, { attempts: number; withData: number }>();
    for (const [k, bits] of this.tuples) {
      if (!(bits & SYN_SEEN)) continue;
      const parts = k.split('|');
      const key = `${parts[0]}|${parts[3]}`;
      let c = counts.get(key);
      if (!c) { c = { attempts: 0, withData: 0 }; counts.set(key, c); }
      c.attempts++;
      if (bits & DATA_SEEN) c.withData++;
    }
    const findings: Finding[] = [];
    for (const [k, s] of this.sweeps.sorted()) {
      const hostCount = s.hosts.count();
      if (hostCount < SWEEP_MIN_HOSTS) continue;
      const [src, portText] = k.split('|');
      const port = Number(portText);
      const { attempts, withData } = counts.get(k) ?? { attempts: 0, withData: 0 };
      const share = attempts ? withData / attempts : 0;
      const about = s.hosts.exact ? '' : 'about ';
      // Management servers (SCCM, backup agents) talk SMB/RPC to many hosts, but they hold real sessions.
      const str = share > 0.5 ? 0.35 : 0.6 + Math.min(0.3, hostCount / 300);
      const firsts = s.firsts.sorted();
      findings.push({
        id: 'worm-tcp-sweep', detector: 'worm-patterns', leaning: 'compromise', strength: strength(str),
        summary: `${src} tried TCP port ${port} (${WORM_TCP_PORTS.get(port)}) on ${about}${hostCount} hosts in ${seconds(s.first, s.last)} s.`,
        explanation: `Worms of the ${WORM_TCP_PORTS.get(port)} family spread by connecting to this port on host after host. `
          + `${Math.round(share * 100)}% of these connection attempts carried data`
          + (share > 0.5 ? '; that is more like a management server than a worm, so this weighs little.' : '; the rest were unanswered or refused.'),
        evidence: replay(firsts).refs(),
        facts: {
          source: src, port, portMeaning: WORM_TCP_PORTS.get(port)!, targetCount: hostCount, attempts,
          withDataShare: Math.round(share * 100) / 100, spanSeconds: seconds(s.first, s.last), attemptsPerSecond: rate(attempts, s.first, s.last),
          targetSample: firsts.slice(0, 20).map((e) => e.dst!),
          ...(s.hosts.exact ? {} : { targetCountExact: false }),
          ...bounds({ sourcesNotFollowed: this.sweeps.dropped, conversationsNotMatched: this.tupleOverflow, targetsNotQuoted: s.firsts.overflowKeys.count() }),
        },
      });
    }
    return findings;
  }

  private slammerFindings(): Finding[] {
    return this.slammer.sorted().map(([src, s]) => {
      const signed = s.signature > 0;
      const n = s.sample.count;
      const hosts = s.hosts.count();
      return {
        id: 'worm-slammer', detector: 'worm-patterns', leaning: 'compromise', strength: signed ? 0.95 : 0.85,
        summary: `${src} sent ${n} SQL Slammer datagram${n === 1 ? '' : 's'} (UDP to port 1434, 376-byte payload) to ${s.hosts.exact ? '' : 'about '}${hosts} host${hosts === 1 ? '' : 's'}.`,
        explanation: 'SQL Slammer (CERT CA-2003-04) is a single 376-byte UDP datagram to port 1434 whose payload begins with 0x04 and carries the whole worm; '
          + 'an infected host sends it to random addresses as fast as its link allows. No legitimate SQL Server resolution request has this size.',
        evidence: replay(s.sample.events()).refs(),
        facts: {
          source: src, datagrams: n, targetCount: hosts, payloadSize: 376, port: 1434, payloadStartsWith0x04: s.signature,
          ...(s.hosts.exact ? {} : { targetCountExact: false }),
          ...bounds({ sourcesNotFollowed: this.slammer.dropped }),
        },
      };
    });
  }

  private pingFindings(): Finding[] {
    const findings: Finding[] = [];
    for (const [src, s] of this.pings.sorted()) {
      const hosts = s.hosts.count();
      if (hosts < PING_MIN_HOSTS && s.welchia === 0) continue;
      const welchia = s.welchia > 0;
      const about = s.hosts.exact ? '' : 'about ';
      findings.push({
        id: 'worm-icmp-sweep', detector: 'worm-patterns', leaning: 'compromise',
        strength: welchia ? 0.85 : strength(0.4 + Math.min(0.3, hosts / 1000)),
        summary: `${src} sent ICMP echo requests to ${about}${hosts} hosts in ${seconds(s.first, s.last)} s`
          + (welchia ? ' with the 64-byte 0xAA payload of Welchia/Nachi.' : '.'),
        explanation: welchia
          ? 'Welchia/Nachi pings each candidate with 64 bytes of 0xAA before attacking it over RPC (135/tcp).'
          : 'A ping sweep maps live hosts before an attack; monitoring systems also ping many hosts, so on its own this weighs moderately.',
        evidence: replay(s.firsts.sorted()).refs(),
        facts: {
          source: src, targetCount: hosts, welchiaPayloads: s.welchia, spanSeconds: seconds(s.first, s.last), rate: rate(hosts, s.first, s.last),
          ...(s.hosts.exact ? {} : { targetCountExact: false }),
          ...bounds({ sourcesNotFollowed: this.pings.dropped, targetsNotQuoted: s.firsts.overflowKeys.count() }),
        },
      });
    }
    return findings;
  }

  private burstFindings(): Finding[] {
    const findings: Finding[] = [];
    const tracker = this.bursts;
    for (const g of tracker.finish()) {
      const t = g.stats;
      if (!t || t.bursts < BURSTS_MIN) continue;
      // traceroute: bursts continue each other's port run, use 33434+, or step the TTL.
      if (t.continuing > t.bursts / 2 || t.traceroutePorts > t.bursts / 2 || t.ttlVarying > t.bursts / 2) continue;
      findings.push(burstFinding(g, t, bounds({ burstGroupsForgotten: tracker.forgottenGroups, burstStartsUnresolved: tracker.droppedStarts })));
    }
    return findings;
  }
}

export const wormPatterns = streamingDetector('worm-patterns', (ctx) => new WormAccumulator(ctx));

function burstFinding(g: BurstGroup, t: BurstStats, boundFacts: Record<string, number>): Finding {
  const fig = burstFigures(t);
  const typical = median(fig.lengths);
  const intervals: number[] = [];
  for (let i = 1; i < fig.starts.length; i++) intervals.push((fig.starts[i] - fig.starts[i - 1]) / 1e6);
  let minInterval = Infinity, maxInterval = -Infinity;
  for (const x of intervals) { if (x < minInterval) minInterval = x; if (x > maxInterval) maxInterval = x; }
  const dstCount = t.dsts.count();
  const bcastCount = t.broadcasts.count();
  const dsts = fig.dsts;
  const preceded = precededList(t);
  const where = dstCount === 1 ? dsts[0] + (bcastCount ? ' (a broadcast address)' : '') : `${dstCount} destinations${bcastCount ? `, ${bcastCount} of them broadcast addresses` : ''}`;
  // Evidence: the whole first burst, then samples, then the whole last burst.
  const first = t.firstBurst!.events;
  const last = t.lastBurst && t.lastBurst !== t.firstBurst ? t.lastBurst.events : [];
  const room = Math.max(0, 12 - first.length - last.length);
  const middle = replay(t.sample.events()).events(room + 8).filter((e) => !first.includes(e) && !last.includes(e)).slice(0, room);
  const evidence = [...first, ...middle, ...last].slice(0, 12).sort((a, b) => a.ts - b.ts).map(ref);
  return {
    id: 'worm-udp-bursts', detector: 'worm-patterns', leaning: 'compromise',
    strength: strength(0.75 + Math.min(0.2, t.bursts / 100)),
    summary: `${g.src} sent ${t.bursts} bursts of about ${typical} UDP datagrams from source port ${g.sport}, each ${g.size} bytes of payload, `
      + `to consecutive destination ports of ${where} (e.g. ${fig.examples.slice(0, 2).join(', ')}).`,
    explanation: burstExplanation(g, t.bursts, typical, bcastCount, preceded[0]),
    evidence,
    facts: {
      source: g.src, sourcePort: g.sport, payloadSize: g.size, burstCount: t.bursts, packetsInBursts: t.packets,
      typicalBurstLength: typical, examplePortRuns: fig.examples, destinations: dsts.slice(0, 20), broadcastDestinations: fig.broadcasts.slice(0, 20),
      medianIntervalSeconds: Math.round(median(intervals) * 1000) / 1000,
      minIntervalSeconds: intervals.length ? Math.round(minInterval * 1000) / 1000 : 0,
      maxIntervalSeconds: intervals.length ? Math.round(maxInterval * 1000) / 1000 : 0,
      spanSeconds: seconds(t.firstBurst!.startTs, t.lastBurst!.lastTs),
      precededBy: preceded.map(([w, n]) => `${w} x${n}`),
      portRunsText: listSome(fig.examples, 5),
      ...(t.precededOther ? { precededByOther: t.precededOther } : {}),
      ...boundFacts,
    },
  };
}

/**
 * Why the bursts weigh, in this finding's own numbers only: its source port,
 * payload size, burst length, destinations and what preceded the bursts.
 */
function burstExplanation(g: BurstGroup, bursts: number, typical: number, broadcasts: number, preceded: [string, number] | undefined): string {
  const parts = [
    `A fixed source port (${g.sport}${g.sport < 1024 ? ', a privileged port that only an administrator or a service can bind' : ''}), `
      + `a fixed payload size (${g.size} bytes) and runs of about ${typical} consecutive destination ports that start somewhere new each time `
      + 'are the signature of a program probing, not of any protocol we run.',
  ];
  if (broadcasts) {
    parts.push(`${broadcasts === 1 ? 'The destination is a broadcast address' : `${broadcasts} of the destinations are broadcast addresses`}, `
      + 'so every datagram reached every host on that segment.');
  }
  if (preceded) {
    parts.push(`${preceded[1]} of the ${bursts} bursts came within ${PRECEDED_WITHIN_US / 1000} ms after another datagram from ${g.src} `
      + `to the same address (${preceded[0]}): the bursts follow the host's own traffic.`);
  }
  return parts.join(' ');
}

/**
 * Link + IPv4 + UDP header bytes that argus counts in TotBytes (Ethernet), and IP + UDP that Zeek's ip_bytes
 * and NetFlow/IPFIX byte counters count (IPFIX octetDeltaCount, RFC 7012 §5.10.1: IP header and payload).
 */
const ARGUS_UDP_OVERHEAD = 14 + 20 + 8;
const IP_UDP_OVERHEAD = 20 + 8;

/**
 * A one-datagram UDP flow record (argus, Zeek conn.log, NetFlow) stands for the
 * datagram it summarises, so bursts show in flow logs as in captures. The
 * payload size is the record's bytes less the headers the tool counts.
 */
function asDatagram(ev: NetEvent): NetEvent | undefined {
  const f = ev.flow;
  if (ev.kind !== 'flow' || !f || ev.proto !== IPPROTO_UDP || f.pktsOut !== 1 || (!f.totalsOnly && f.pktsIn > 0)) return undefined;
  const overhead = f.history !== undefined || isOneWayNetflow(ev) ? IP_UDP_OVERHEAD : ARGUS_UDP_OVERHEAD;
  return { ...ev, kind: 'packet', payloadLength: Math.max(0, f.bytesOut - overhead) };
}
