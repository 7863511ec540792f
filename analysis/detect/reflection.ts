import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_SYN, type NetEvent } from '../events/event';
import { memberTest } from '../util/member-test';
import { unreachableSourceReason } from '../util/net';
import type { DetectContext, Finding } from './detector';
import { DistinctCounter } from './sketch/distinct-counter';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';
import { streamSubject } from './stream-subject';
import { figures, isReflection, reflectionFinding } from './reflection/finding';
import { ReflectionPair } from './reflection/pair';
import { SERVICES, dnsIsResponse, requestShape } from './reflection/services';

/**
 * Reflection and amplification: our open UDP service (DNS, NTP, SSDP,
 * memcached, CLDAP, chargen, SNMP, ...) answering requests forged with the
 * complainant's address. The complainant sees our answers, from port 53 or
 * 123 or 11211, and reports them as an attack from us.
 *
 * Per (our server, service port, their address) it counts the answers we
 * sent, the requests that arrived carrying their address (kinds, identical
 * ones, TTLs), bytes each way, and whatever else their address started with
 * us. It speaks when the answers are many, larger than the requests by
 * MIN_FACTOR at least, and come as a flood (a rate no client asks by hand,
 * or the same request over and over); with no requests in the evidence, only
 * a sustained flood of answers. A resolver serving a real client (a few
 * varied lookups, answers 1 to 3 times the query, a low rate) stays silent.
 *
 * Bounded: at most MAX_PAIRS pairs are followed (those seen first); further
 * ones are counted. Flow records count as packets and bytes per record.
 */

/** Pairs followed; events of further pairs are counted, their peers estimated. */
export const MAX_PAIRS = 1024;
/** Pairs (our server, their address) whose other exchanges are counted. */
const MAX_INITIATED = 4 * MAX_PAIRS;
/** Pairs reported when the complaint named nobody and many were flooded: the largest first. */
const MAX_FINDINGS = 8;

/** Per-packet header bytes the flow tools count: Zeek's ip_bytes and NetFlow/IPFIX count IP + UDP, argus adds Ethernet. */
function overhead(ev: NetEvent): number {
  const f = ev.flow!;
  if (f.history !== undefined) return 28;
  return f.state !== undefined ? 42 : 28;
}

function initiates(ev: NetEvent): boolean {
  if (ev.kind === 'flow') return ev.proto === IPPROTO_TCP || (ev.proto === IPPROTO_UDP && !SERVICES.has(ev.dport ?? -1));
  if (ev.proto === IPPROTO_TCP) return ((ev.tcpFlags ?? 0) & (TCP_SYN | TCP_ACK)) === TCP_SYN;
  if (ev.proto === IPPROTO_UDP) return !SERVICES.has(ev.dport ?? -1);
  return (ev.proto === IPPROTO_ICMP && ev.icmp?.type === 8) || (ev.proto === IPPROTO_ICMPV6 && ev.icmp?.type === 128);
}

function addCount(m: Map<string, number>, k: string, n: number, cap: number): void {
  const cur = m.get(k);
  if (cur !== undefined) m.set(k, cur + n);
  else if (m.size < cap) m.set(k, n);
}

/** Exported for tests that look at its bounds. */
export class ReflectionAccumulator implements Accumulator {
  private readonly isSubject: (a: string | undefined) => boolean;
  private readonly isPeer: (a: string | undefined) => boolean;
  readonly named: boolean;
  /** `server|port|peer` -> what passed between them. */
  readonly pairs = new Map<string, ReflectionPair>();
  turnedAway = 0;
  readonly turnedAwayPeers = new DistinctCounter();
  /** `server|peer` -> exchanges the peer started that were not requests to an amplifying service. */
  readonly initiated = new Map<string, number>();
  /** `server|port|peer` -> ICMP unreachables from the peer quoting our answers. */
  readonly refused = new Map<string, number>();

  constructor(ctx: StreamContext) {
    this.isSubject = streamSubject(ctx);
    this.named = ctx.targets.length > 0;
    // With nobody named, any outside peer may be the one flooded; our own hosts are clients, not victims.
    // Named peers are string comparisons: asked of every packet to us, a Set would hash each forged source of a flood.
    this.isPeer = this.named ? memberTest(ctx.targets) : (a) => a !== undefined && !this.isSubject(a) && !ctx.isOurs(a);
  }

  private pair(server: string, port: number, peer: string): ReflectionPair | undefined {
    const key = `${server}|${port}|${peer}`;
    let p = this.pairs.get(key);
    if (p) return p;
    if (this.pairs.size >= MAX_PAIRS) {
      this.turnedAway++;
      this.turnedAwayPeers.add(peer);
      return undefined;
    }
    this.pairs.set(key, (p = new ReflectionPair()));
    return p;
  }

  add(ev: NetEvent): void {
    if (ev.src === undefined || ev.dst === undefined) return;
    if (ev.kind === 'flow') { if (ev.flow) this.addFlow(ev, ev.src, ev.dst); return; }
    if (ev.kind !== 'packet') return;
    const { src, dst } = ev;
    if (ev.proto === IPPROTO_UDP && !(ev.fragment && ev.fragment.offset > 0)) {
      const dns = (p: number | undefined): boolean => p === 53 || p === 5353;
      if (this.isSubject(src) && SERVICES.has(ev.sport ?? -1) && this.isPeer(dst)) {
        // A query our host sends from port 53 (old resolvers did) is not an answer.
        if (dns(ev.sport) && dnsIsResponse(ev.payload) === false) return;
        this.pair(src, ev.sport!, dst)?.answer(ev);
        return;
      }
      if (this.isSubject(dst) && SERVICES.has(ev.dport ?? -1) && this.isPeer(src)) {
        if (dns(ev.dport) && dnsIsResponse(ev.payload) === true) return;
        this.pair(dst, ev.dport!, src)?.request(ev, requestShape(ev.dport!, ev.payload, ev.payloadLength ?? 0));
        return;
      }
    }
    if (!this.isSubject(dst) || !this.isPeer(src)) return;
    const q = ev.icmp?.quoted;
    if (ev.icmp?.type === 3 && q && q.src === dst && q.dst === src && q.proto === IPPROTO_UDP && SERVICES.has(q.sport ?? -1)) {
      addCount(this.refused, `${dst}|${q.sport}|${src}`, 1, MAX_PAIRS);
    } else if (initiates(ev)) {
      addCount(this.initiated, `${dst}|${src}`, 1, MAX_INITIATED);
    }
  }

  private addFlow(ev: NetEvent, src: string, dst: string): void {
    const f = ev.flow!;
    const from = ev.ts;
    const to = ev.ts + (f.durationUs ?? 0);
    const payload = (bytes: number, pkts: number): number => Math.max(0, bytes - overhead(ev) * pkts);
    // argus totals of a two-way record: the split between requests and answers is unknown.
    const mixed = f.totalsOnly === true && (f.direction ?? '').includes('<');
    let p: ReflectionPair | undefined;
    let ours: boolean;
    if (ev.proto === IPPROTO_UDP && this.isSubject(src) && SERVICES.has(ev.sport ?? -1) && this.isPeer(dst)) {
      p = this.pair(src, ev.sport!, dst);
      ours = true;
    } else if (ev.proto === IPPROTO_UDP && this.isSubject(dst) && SERVICES.has(ev.dport ?? -1) && this.isPeer(src)) {
      p = this.pair(dst, ev.dport!, src);
      ours = false;
    } else {
      if (this.isSubject(dst) && this.isPeer(src) && f.pktsOut > 0 && initiates(ev)) addCount(this.initiated, `${dst}|${src}`, 1, MAX_INITIATED);
      return;
    }
    if (!p) return;
    if (mixed) { p.mixedPackets += f.pktsOut; p.mixedBytes += f.bytesOut; return; }
    const [out, back] = ours ? [p.flowAnswers, p.flowRequests] : [p.flowRequests, p.flowAnswers];
    if (f.pktsOut > 0) out.add(f.pktsOut, payload(f.bytesOut, f.pktsOut), from, to);
    if (!f.totalsOnly && f.pktsIn > 0) back.add(f.pktsIn, payload(f.bytesIn, f.pktsIn), from, to);
  }

  merge(other: Accumulator): void {
    const o = other as ReflectionAccumulator;
    for (const [k, theirs] of o.pairs) {
      const mine = this.pairs.get(k);
      if (mine) mine.merge(theirs);
      else if (this.pairs.size < MAX_PAIRS) this.pairs.set(k, theirs);
      else { this.turnedAway += theirs.answers.packets + theirs.requests.packets; this.turnedAwayPeers.add(k.slice(k.lastIndexOf('|') + 1)); }
    }
    this.turnedAway += o.turnedAway;
    this.turnedAwayPeers.merge(o.turnedAwayPeers);
    for (const [k, n] of o.initiated) addCount(this.initiated, k, n, MAX_INITIATED);
    for (const [k, n] of o.refused) addCount(this.refused, k, n, MAX_PAIRS);
  }

  finish(ctx: DetectContext): Finding[] {
    // Targets the evidence suggested at the end narrow what was followed for any peer.
    const late = !this.named && ctx.targets.length ? new Set(ctx.targets) : undefined;
    const found: Array<{ bytes: number; f: Finding }> = [];
    for (const [key, p] of this.pairs) {
      const [server, portText, target] = key.split('|');
      if (late && !late.has(target)) continue;
      // An address no network can route is nobody's server: the impossible-source detector speaks for it.
      if (unreachableSourceReason(server, ctx.targets)) continue;
      const fig = figures(p);
      if (!isReflection(fig)) continue;
      const port = Number(portText);
      const c = { server, port, target, initiated: this.initiated.get(`${server}|${target}`) ?? 0, refused: this.refused.get(key) ?? 0 };
      found.push({ bytes: fig.answerBytes, f: reflectionFinding(p, fig, c) });
    }
    found.sort((a, b) => b.bytes - a.bytes || (a.f.summary < b.f.summary ? -1 : 1));
    const shown = found.slice(0, MAX_FINDINGS).map((x) => x.f);
    for (const f of shown) {
      if (found.length > MAX_FINDINGS) f.facts!.otherPairsReflected = found.length - MAX_FINDINGS;
      if (this.turnedAway) { f.facts!.eventsNotFollowed = this.turnedAway; f.facts!.peersNotFollowed = this.turnedAwayPeers.count(); }
    }
    return shown;
  }
}

export const reflection = streamingDetector('reflection', (ctx) => new ReflectionAccumulator(ctx));
