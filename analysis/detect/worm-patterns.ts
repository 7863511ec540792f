import {
  IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_SYN, type NetEvent,
} from '../events/event';
import type { DetectContext, Detector, Finding } from './detector';
import { EvidenceSampler, ref } from './excerpt';
import { listSome, looksBroadcast, median, rate, seconds, strength, subjectTest, tupleKey } from './common';

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
 */

const WORM_TCP_PORTS = new Map<number, string>([
  [135, 'MS-RPC (Blaster, Welchia)'], [139, 'NetBIOS session (Nimda, Opaserv)'],
  [445, 'SMB (Sasser, Conficker, WannaCry)'], [1433, 'MS-SQL (Spida)'],
]);
/** Distinct hosts one worm port must be tried on: a few file servers are normal, a sweep is not. */
const SWEEP_MIN_HOSTS = 10;
const PING_MIN_HOSTS = 25;
/** Burst detection: consecutive destination ports, at most this far apart in time. */
const BURST_GAP_US = 1_000_000;
const BURST_MIN_LEN = 3;
const BURSTS_MIN = 3;
/** A datagram to the same address at most this long before a burst "precedes" it. */
const PRECEDED_WITHIN_US = 200_000;
/** traceroute(8) probes consecutive UDP ports from 33434 up; that is not a worm. */
const TRACEROUTE_FIRST = 33434;
const TRACEROUTE_LAST = 33534;

interface Burst {
  dst: string;
  firstPort: number;
  lastPort: number;
  startTs: number;
  lastTs: number;
  count: number;
  ttls: Set<number>;
  events: NetEvent[];
}

interface BurstGroup {
  src: string;
  sport: number;
  size: number;
  current?: Burst;
  bursts: number;
  packets: number;
  lengths: number[];
  starts: number[];
  examples: string[];
  dsts: Map<string, number>;
  continuing: number;
  traceroutePorts: number;
  ttlVarying: number;
  precededBy: Map<string, number>;
  sampler: EvidenceSampler;
  firstBurst?: Burst;
  lastBurst?: Burst;
  lastEnd?: number;
}

export const wormPatterns: Detector = {
  id: 'worm-patterns',
  detect(ctx: DetectContext): Finding[] {
    const isSubject = subjectTest(ctx);
    const findings: Finding[] = [];

    // TCP worm ports: src|port -> dst -> answered with data?
    const sweeps = new Map<string, { hosts: Set<string>; sampler: EvidenceSampler; first: number; last: number; tuples: Set<string> }>();
    const dataTuples = new Set<string>();
    const slammer = new Map<string, { hosts: Set<string>; events: EvidenceSampler; signature: number }>();
    const pings = new Map<string, { hosts: Set<string>; sampler: EvidenceSampler; first: number; last: number; welchia: number }>();
    const bursts = new Map<string, BurstGroup>();
    const lastUdp = new Map<string, NetEvent>();

    for (const record of ctx.events) {
      const ev = record.kind === 'packet' ? record : asDatagram(record);
      if (!ev || ev.src === undefined || ev.dst === undefined) continue;
      if (ev.proto === IPPROTO_TCP && (ev.payloadLength ?? 0) > 0) {
        dataTuples.add(tupleKey(ev));
      }
      if (!isSubject(ev.src)) continue;

      if (ev.proto === IPPROTO_TCP && ev.dport !== undefined && WORM_TCP_PORTS.has(ev.dport)
        && ((ev.tcpFlags ?? 0) & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
        const k = `${ev.src}|${ev.dport}`;
        let s = sweeps.get(k);
        if (!s) { s = { hosts: new Set(), sampler: new EvidenceSampler(), first: ev.ts, last: ev.ts, tuples: new Set() }; sweeps.set(k, s); }
        if (!s.hosts.has(ev.dst)) s.sampler.add(ev);
        s.hosts.add(ev.dst);
        s.tuples.add(tupleKey(ev));
        s.last = ev.ts;
      } else if (ev.proto === IPPROTO_UDP) {
        if (ev.dport === 1434 && ev.payloadLength === 376) {
          let s = slammer.get(ev.src);
          if (!s) { s = { hosts: new Set(), events: new EvidenceSampler(), signature: 0 }; slammer.set(ev.src, s); }
          s.hosts.add(ev.dst);
          s.events.add(ev);
          if (ev.payload && ev.payload[0] === 0x04) s.signature++;
        }
        if (ev.sport !== undefined && ev.dport !== undefined && !(ev.fragment && ev.fragment.offset > 0)) {
          trackBurst(bursts, lastUdp, ev);
        }
      } else if ((ev.proto === IPPROTO_ICMP && ev.icmp?.type === 8) || (ev.proto === IPPROTO_ICMPV6 && ev.icmp?.type === 128)) {
        let s = pings.get(ev.src);
        if (!s) { s = { hosts: new Set(), sampler: new EvidenceSampler(), first: ev.ts, last: ev.ts, welchia: 0 }; pings.set(ev.src, s); }
        if (!s.hosts.has(ev.dst)) s.sampler.add(ev);
        s.hosts.add(ev.dst);
        s.last = ev.ts;
        if (ev.payloadLength === 64 && ev.payload && ev.payload.length > 8 && ev.payload.every((b) => b === 0xaa)) s.welchia++;
      }
    }

    for (const [k, s] of sweeps) {
      if (s.hosts.size < SWEEP_MIN_HOSTS) continue;
      const [src, portText] = k.split('|');
      const port = Number(portText);
      let withData = 0;
      for (const t of s.tuples) {
        const [proto, a, ap, b, bp] = t.split('|');
        if (dataTuples.has(t) || dataTuples.has(`${proto}|${b}|${bp}|${a}|${ap}`)) withData++;
      }
      const share = withData / s.tuples.size;
      // Management servers (SCCM, backup agents) talk SMB/RPC to many hosts, but they hold real sessions.
      const str = share > 0.5 ? 0.35 : 0.6 + Math.min(0.3, s.hosts.size / 300);
      findings.push({
        id: 'worm-tcp-sweep', detector: 'worm-patterns', leaning: 'compromise', strength: strength(str),
        summary: `${src} tried TCP port ${port} (${WORM_TCP_PORTS.get(port)}) on ${s.hosts.size} hosts in ${seconds(s.first, s.last)} s.`,
        explanation: `Worms of the ${WORM_TCP_PORTS.get(port)} family spread by connecting to this port on host after host. `
          + `${Math.round(share * 100)}% of these connection attempts carried data`
          + (share > 0.5 ? '; that is more like a management server than a worm, so this weighs little.' : '; the rest were unanswered or refused.'),
        evidence: s.sampler.refs(),
        facts: {
          source: src, port, portMeaning: WORM_TCP_PORTS.get(port)!, targetCount: s.hosts.size, attempts: s.tuples.size,
          withDataShare: Math.round(share * 100) / 100, spanSeconds: seconds(s.first, s.last), attemptsPerSecond: rate(s.tuples.size, s.first, s.last),
          targetSample: [...s.hosts].slice(0, 20),
        },
      });
    }

    for (const [src, s] of slammer) {
      const signed = s.signature > 0;
      findings.push({
        id: 'worm-slammer', detector: 'worm-patterns', leaning: 'compromise', strength: signed ? 0.95 : 0.85,
        summary: `${src} sent ${s.events.count} SQL Slammer datagram${s.events.count === 1 ? '' : 's'} (UDP to port 1434, 376-byte payload) to ${s.hosts.size} host${s.hosts.size === 1 ? '' : 's'}.`,
        explanation: 'SQL Slammer (CERT CA-2003-04) is a single 376-byte UDP datagram to port 1434 whose payload begins with 0x04 and carries the whole worm; '
          + 'an infected host sends it to random addresses as fast as its link allows. No legitimate SQL Server resolution request has this size.',
        evidence: s.events.refs(),
        facts: { source: src, datagrams: s.events.count, targetCount: s.hosts.size, payloadSize: 376, port: 1434, payloadStartsWith0x04: s.signature },
      });
    }

    for (const [src, s] of pings) {
      if (s.hosts.size < PING_MIN_HOSTS && s.welchia === 0) continue;
      const welchia = s.welchia > 0;
      findings.push({
        id: 'worm-icmp-sweep', detector: 'worm-patterns', leaning: 'compromise',
        strength: welchia ? 0.85 : strength(0.4 + Math.min(0.3, s.hosts.size / 1000)),
        summary: `${src} sent ICMP echo requests to ${s.hosts.size} hosts in ${seconds(s.first, s.last)} s`
          + (welchia ? ' with the 64-byte 0xAA payload of Welchia/Nachi.' : '.'),
        explanation: welchia
          ? 'Welchia/Nachi pings each candidate with 64 bytes of 0xAA before attacking it over RPC (135/tcp).'
          : 'A ping sweep maps live hosts before an attack; monitoring systems also ping many hosts, so on its own this weighs moderately.',
        evidence: s.sampler.refs(),
        facts: { source: src, targetCount: s.hosts.size, welchiaPayloads: s.welchia, spanSeconds: seconds(s.first, s.last), rate: rate(s.hosts.size, s.first, s.last) },
      });
    }

    for (const g of bursts.values()) {
      closeBurst(g);
      if (g.bursts < BURSTS_MIN) continue;
      // traceroute: bursts continue each other's port run, use 33434+, or step the TTL.
      if (g.continuing > g.bursts / 2 || g.traceroutePorts > g.bursts / 2 || g.ttlVarying > g.bursts / 2) continue;
      findings.push(burstFinding(g));
    }
    return findings;
  },
};

function trackBurst(groups: Map<string, BurstGroup>, lastUdp: Map<string, NetEvent>, ev: NetEvent): void {
  const key = `${ev.src}|${ev.sport}|${ev.payloadLength ?? 0}`;
  let g = groups.get(key);
  if (!g) {
    g = {
      src: ev.src!, sport: ev.sport!, size: ev.payloadLength ?? 0, bursts: 0, packets: 0, lengths: [], starts: [], examples: [],
      dsts: new Map(), continuing: 0, traceroutePorts: 0, ttlVarying: 0, precededBy: new Map(), sampler: new EvidenceSampler(4, 64),
    };
    groups.set(key, g);
  }
  const b = g.current;
  if (b && b.dst === ev.dst && ev.dport === b.lastPort + 1 && ev.ts - b.lastTs <= BURST_GAP_US) {
    b.lastPort = ev.dport!;
    b.lastTs = ev.ts;
    b.count++;
    if (ev.ttl !== undefined) b.ttls.add(ev.ttl);
    if (b.events.length < 8) b.events.push(ev);
  } else {
    closeBurst(g);
    const burst: Burst = { dst: ev.dst!, firstPort: ev.dport!, lastPort: ev.dport!, startTs: ev.ts, lastTs: ev.ts, count: 1, ttls: new Set(), events: [ev] };
    if (ev.ttl !== undefined) burst.ttls.add(ev.ttl);
    // What the host sent to the same destination just before: bursts that follow the host's own datagrams ride on its traffic.
    const prev = lastUdp.get(`${ev.src}|${ev.dst}`);
    if (prev && prev.sport !== ev.sport && ev.ts - prev.ts <= PRECEDED_WITHIN_US) {
      const what = `udp ${prev.sport}->${prev.dport}`;
      g.precededBy.set(what, (g.precededBy.get(what) ?? 0) + 1);
    }
    g.current = burst;
  }
  lastUdp.set(`${ev.src}|${ev.dst}`, ev);
}

function closeBurst(g: BurstGroup): void {
  const b = g.current;
  g.current = undefined;
  if (!b || b.count < BURST_MIN_LEN) return;
  g.bursts++;
  g.packets += b.count;
  if (g.lengths.length < 10_000) { g.lengths.push(b.count); g.starts.push(b.startTs); }
  if (g.examples.length < 5) g.examples.push(`${b.dst}:${b.firstPort}-${b.lastPort}`);
  g.dsts.set(b.dst, (g.dsts.get(b.dst) ?? 0) + 1);
  if (g.lastEnd !== undefined && b.firstPort === g.lastEnd + 1) g.continuing++;
  if (b.firstPort >= TRACEROUTE_FIRST && b.lastPort <= TRACEROUTE_LAST) g.traceroutePorts++;
  if (b.ttls.size > 1) g.ttlVarying++;
  g.lastEnd = b.lastPort;
  for (const e of b.events) g.sampler.add(e);
  if (!g.firstBurst) g.firstBurst = b;
  g.lastBurst = b;
}

function burstFinding(g: BurstGroup): Finding {
  const typical = median(g.lengths);
  const intervals: number[] = [];
  for (let i = 1; i < g.starts.length; i++) intervals.push((g.starts[i] - g.starts[i - 1]) / 1e6);
  const dsts = [...g.dsts.keys()];
  const bcast = dsts.filter(looksBroadcast);
  const preceded = [...g.precededBy].sort((a, b) => b[1] - a[1]);
  const where = dsts.length === 1 ? dsts[0] + (bcast.length ? ' (a broadcast address)' : '') : `${dsts.length} destinations${bcast.length ? `, ${bcast.length} of them broadcast addresses` : ''}`;
  // Evidence: the whole first burst, then samples, then the whole last burst.
  const first = g.firstBurst!.events;
  const last = g.lastBurst && g.lastBurst !== g.firstBurst ? g.lastBurst.events : [];
  const room = Math.max(0, 12 - first.length - last.length);
  const middle = g.sampler.events(room + 8).filter((e) => !first.includes(e) && !last.includes(e)).slice(0, room);
  const evidence = [...first, ...middle, ...last].slice(0, 12).sort((a, b) => a.ts - b.ts).map(ref);
  return {
    id: 'worm-udp-bursts', detector: 'worm-patterns', leaning: 'compromise',
    strength: strength(0.75 + Math.min(0.2, g.bursts / 100)),
    summary: `${g.src} sent ${g.bursts} bursts of about ${typical} UDP datagrams from source port ${g.sport}, each ${g.size} bytes of payload, `
      + `to consecutive destination ports of ${where} (e.g. ${g.examples.slice(0, 2).join(', ')}).`,
    explanation: burstExplanation(g, typical, bcast.length, preceded[0]),
    evidence,
    facts: {
      source: g.src, sourcePort: g.sport, payloadSize: g.size, burstCount: g.bursts, packetsInBursts: g.packets,
      typicalBurstLength: typical, examplePortRuns: g.examples, destinations: dsts.slice(0, 20), broadcastDestinations: bcast.slice(0, 20),
      medianIntervalSeconds: Math.round(median(intervals) * 1000) / 1000,
      minIntervalSeconds: intervals.length ? Math.round(Math.min(...intervals) * 1000) / 1000 : 0,
      maxIntervalSeconds: intervals.length ? Math.round(Math.max(...intervals) * 1000) / 1000 : 0,
      spanSeconds: seconds(g.firstBurst!.startTs, g.lastBurst!.lastTs),
      precededBy: preceded.map(([w, n]) => `${w} x${n}`),
      portRunsText: listSome(g.examples, 5),
    },
  };
}

/**
 * Why the bursts weigh, in this finding's own numbers only: its source port,
 * payload size, burst length, destinations and what preceded the bursts.
 */
function burstExplanation(g: BurstGroup, typical: number, broadcasts: number, preceded: [string, number] | undefined): string {
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
    parts.push(`${preceded[1]} of the ${g.bursts} bursts came within ${PRECEDED_WITHIN_US / 1000} ms after another datagram from ${g.src} `
      + `to the same address (${preceded[0]}): the bursts follow the host's own traffic.`);
  }
  return parts.join(' ');
}

/** Link + IPv4 + UDP header bytes that argus counts in TotBytes (Ethernet), and IP + UDP that Zeek's ip_bytes count. */
const ARGUS_UDP_OVERHEAD = 14 + 20 + 8;
const ZEEK_UDP_OVERHEAD = 20 + 8;

/**
 * A one-datagram UDP flow record (argus, Zeek conn.log) stands for the
 * datagram it summarises, so bursts show in flow logs as in captures. The
 * payload size is the record's bytes less the headers the tool counts.
 */
function asDatagram(ev: NetEvent): NetEvent | undefined {
  const f = ev.flow;
  if (ev.kind !== 'flow' || !f || ev.proto !== IPPROTO_UDP || f.pktsOut !== 1 || (!f.totalsOnly && f.pktsIn > 0)) return undefined;
  const overhead = f.history !== undefined ? ZEEK_UDP_OVERHEAD : ARGUS_UDP_OVERHEAD;
  return { ...ev, kind: 'packet', payloadLength: Math.max(0, f.bytesOut - overhead) };
}
