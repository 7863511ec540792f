import type { NetEvent } from '../../events/event';
import type { Finding } from '../detector';
import { ref } from '../excerpt';
import { DistinctCounter, DISTINCT_RELATIVE_ERROR } from '../sketch/distinct-counter';
import { SpreadSample } from '../sketch/spread-sample';
import { ipv4Value } from '../../util/ipv4-value';
import { clientKeyOf, HandshakeTable, MAX_HANDSHAKE_TUPLES, type Completion } from './handshakes';

/** Fewer distinct sources than this is not a flood, whatever the rate. */
export const MIN_FLOOD_SOURCES = 20;
/** A flood completes fewer than this share of its handshakes; clients complete nearly all. */
export const MAX_FLOOD_COMPLETION = 0.2;
/**
 * Ports of one server whose SYNs are analysed port by port. A port first
 * reached when this many are tracked is only counted (SYNs, ports), and the
 * detector says so in a finding of its own.
 */
export const MAX_SERVICE_PORTS = 2048;
/** Fingerprints (window, options) counted per port; SYNs with a fingerprint first seen past this are counted apart. */
export const MAX_FINGERPRINTS = 64;
/** SYNs kept per port for quoting. */
const SYN_QUOTES = 64;

/** One tool's fingerprint: the window and options a SYN carries. */
function fingerprint(e: NetEvent): string {
  return `win ${e.window ?? '?'}${e.tcpOptions ? `, options ${e.tcpOptions}` : ', no options'}`;
}

/** The SYNs that reached one port of one server. */
export class PortSyns {
  syns = 0;
  /** An IPv4 source as its 32-bit value (whether the event came decoded or as text), any other as its text. */
  readonly sources = new DistinctCounter<string | number>();
  /** SYNs per TTL value: distinct values and range without holding the SYNs. */
  readonly ttl = new Uint32Array(256);
  readonly fingerprints = new Map<string, { n: number; firstTs: number }>();
  /** SYNs whose fingerprint was first seen when MAX_FINGERPRINTS others were counted. */
  uncountedFingerprints = 0;
  firstTs = Infinity;
  lastTs = -Infinity;
  readonly quotes = new SpreadSample(SYN_QUOTES);
  /** The last fingerprint built: a flooding tool repeats one, so most SYNs reuse it rather than build a string. */
  private last = { window: undefined as number | undefined, options: undefined as string | undefined, text: '' };

  constructor(readonly port: number) {}

  add(e: NetEvent): void {
    this.syns++;
    const s4 = e.src4 ?? ipv4Value(e.src!);
    this.sources.add(s4 >= 0 ? s4 : e.src!);
    if (e.ttl !== undefined && e.ttl >= 0 && e.ttl < 256) this.ttl[e.ttl]++;
    if (!this.last.text || e.window !== this.last.window || e.tcpOptions !== this.last.options) {
      this.last = { window: e.window, options: e.tcpOptions, text: fingerprint(e) };
    }
    this.countFingerprint(this.last.text, 1, e.ts);
    if (e.ts < this.firstTs) this.firstTs = e.ts;
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    this.quotes.add(e);
  }

  merge(o: PortSyns): void {
    this.syns += o.syns;
    this.sources.merge(o.sources);
    for (let i = 0; i < 256; i++) this.ttl[i] += o.ttl[i];
    for (const [fp, c] of o.fingerprints) this.countFingerprint(fp, c.n, c.firstTs);
    this.uncountedFingerprints += o.uncountedFingerprints;
    this.firstTs = Math.min(this.firstTs, o.firstTs);
    this.lastTs = Math.max(this.lastTs, o.lastTs);
    this.quotes.merge(o.quotes);
  }

  /** Distinct sources; an estimate past the counter's exact limit, never more than the SYNs. */
  sourceCount(): number {
    return Math.min(this.sources.count(), this.syns);
  }

  /** The most common fingerprint (ties: the one seen first) and its share of all SYNs. */
  topFingerprint(): { value: string; share: number } {
    let best: { value: string; n: number; firstTs: number } | undefined;
    for (const [value, c] of this.fingerprints) {
      if (!best || c.n > best.n || (c.n === best.n && c.firstTs < best.firstTs)) best = { value, ...c };
    }
    return { value: best?.value ?? '', share: best ? best.n / this.syns : 0 };
  }

  private countFingerprint(fp: string, n: number, ts: number): void {
    const c = this.fingerprints.get(fp);
    if (c) { c.n += n; c.firstTs = Math.min(c.firstTs, ts); return; }
    if (this.fingerprints.size >= MAX_FINGERPRINTS) { this.uncountedFingerprints += n; return; }
    this.fingerprints.set(fp, { n, firstTs: ts });
  }
}

/** Every SYN to one server, by port, and the handshake table that says which attempts were completed. */
export class ServerSyns {
  inboundSyns = 0;
  readonly ports = new Map<number, PortSyns>();
  /** SYNs to ports first reached when MAX_SERVICE_PORTS were tracked, and those ports. */
  untrackedSyns = 0;
  readonly untrackedPorts = new Set<number>();
  readonly handshakes = new HandshakeTable();

  /** A SYN to this server (a TCP packet with a destination port). */
  addSyn(e: NetEvent): void {
    this.inboundSyns++;
    let s = this.ports.get(e.dport!);
    if (!s) {
      if (this.ports.size >= MAX_SERVICE_PORTS) {
        this.untrackedSyns++;
        this.untrackedPorts.add(e.dport!);
        return;
      }
      this.ports.set(e.dport!, (s = new PortSyns(e.dport!)));
    }
    s.add(e);
    if (e.src4 !== undefined && e.sport !== undefined) this.handshakes.attemptV4(e.dport!, e.src4, e.sport);
    else this.handshakes.attempt(e.dport!, clientKeyOf(e));
  }

  /** A client's ACK or data to this server: the handshake of its 4-tuple was completed. */
  addFollowUp(e: NetEvent): void {
    if (e.dport !== undefined) this.handshakes.followUp(e.dport, clientKeyOf(e));
  }

  merge(o: ServerSyns): void {
    this.inboundSyns += o.inboundSyns;
    this.handshakes.merge(o.handshakes);
    for (const [port, theirs] of o.ports) {
      const mine = this.ports.get(port);
      if (mine) mine.merge(theirs);
      else if (this.ports.size < MAX_SERVICE_PORTS) this.ports.set(port, theirs);
      else { this.untrackedSyns += theirs.syns; this.untrackedPorts.add(port); }
    }
    this.untrackedSyns += o.untrackedSyns;
    for (const p of o.untrackedPorts) if (!this.ports.has(p)) this.untrackedPorts.add(p);
  }

  /** Ports in the order their first SYN arrived in time. */
  portsInTimeOrder(): PortSyns[] {
    return [...this.ports.values()].sort((a, b) => a.firstTs - b.firstTs);
  }

  completion(s: PortSyns): Completion {
    return this.handshakes.completion(s.port, s.syns);
  }
}

/** A port that looks flooded: many sources, few completed handshakes. */
export function isFlood(s: PortSyns, c: Completion): boolean {
  return s.sourceCount() >= MIN_FLOOD_SOURCES && c.completed / Math.max(1, c.attempts) < MAX_FLOOD_COMPLETION;
}

/** "about 1498211" when a count is an estimate. */
function about(exact: boolean, n: number): string {
  return exact ? String(n) : `about ${n}`;
}

/**
 * `earlyFollowUpsSampled`: more follow-ups came before their SYN (or without one) than the table keeps,
 * so a completion read out of order may be missed: the facts say so.
 */
export function floodFinding(server: string, s: PortSyns, c: Completion, earlyFollowUpsSampled = false): Finding {
  const fp = s.topFingerprint();
  let ttlDistinct = 0;
  let ttlMin = -1;
  let ttlMax = -1;
  for (let t = 0; t < 256; t++) {
    if (!s.ttl[t]) continue;
    ttlDistinct++;
    if (ttlMin < 0) ttlMin = t;
    ttlMax = t;
  }
  const sources = s.sourceCount();
  const span = (s.lastTs - s.firstTs) / 1e6;
  const rate = span > 0 ? Math.round(s.syns / span) : s.syns;
  const estimated = c.sampled !== undefined;
  const handshakes = estimated
    ? `about ${c.completed} of about ${c.attempts} handshakes were completed (estimated from ${c.sampled} attempts sampled by hash: the handshake table holds at most ${MAX_HANDSHAKE_TUPLES} 4-tuples per server)`
    : `${c.completed} of ${c.attempts} handshakes were completed`;
  const ttls = ttlDistinct ? `${ttlDistinct} different TTL values (${ttlMin}-${ttlMax})` : 'no TTL values';
  const facts: NonNullable<Finding['facts']> = {
    server, port: s.port, syns: s.syns, sources, completed: c.completed,
    attempts: c.attempts, ratePerSecond: rate, ttlDistinct, fingerprint: fp.value,
    fingerprintShare: Math.round(fp.share * 100),
  };
  // Past a bound the figures are estimates or lower bounds: the facts say which bound and how far off.
  if (!s.sources.exact) facts.sourcesRelativeStdError = `${(DISTINCT_RELATIVE_ERROR * 100).toFixed(2)}%`;
  if (estimated) { facts.completedEstimated = true; facts.handshakesSampled = c.sampled!; }
  if (earlyFollowUpsSampled) facts.earlyFollowUpsSampled = true;
  if (s.uncountedFingerprints) facts.synsWithUncountedFingerprint = s.uncountedFingerprints;
  const share = `${s.uncountedFingerprints ? 'at least ' : ''}${Math.round(fp.share * 100)}%`;
  return {
    id: 'inbound-syn-flood',
    detector: 'synflood-backscatter',
    leaning: 'backscatter',
    strength: 0.5 + 0.3 * Math.min(1, sources / 200) + (fp.share > 0.8 ? 0.1 : 0),
    summary: `${server} port ${s.port} received a SYN flood: ${s.syns} SYNs from ${about(s.sources.exact, sources)} different source addresses in ${span.toFixed(1)} s (about ${rate}/s); ${handshakes}.`,
    explanation: `The SYNs carry ${ttls} and ${share} share one fingerprint (${fp.value}), the signature of one flooding tool forging its source addresses rather than of ${about(s.sources.exact, sources)} real clients.`,
    evidence: s.quotes.pick(6).map(ref),
    facts,
  };
}

/** Records that reached ports past MAX_SERVICE_PORTS were counted, not analysed: said, not dropped. */
export function untrackedFinding(server: string, what: 'SYNs' | 'flow records', records: number, ports: number): Finding {
  return {
    id: 'syn-ports-beyond-bound',
    bound: true,
    detector: 'synflood-backscatter',
    leaning: 'context',
    strength: 0,
    summary: `${records} ${what} to ${ports} further ports of ${server} were counted but not analysed port by port: the detector follows at most ${MAX_SERVICE_PORTS} ports per server (the first reached).`,
    evidence: [],
    facts: { server, untracked: records, untrackedPorts: ports, maxServicePorts: MAX_SERVICE_PORTS, fromFlowRecords: what === 'flow records' },
  };
}
