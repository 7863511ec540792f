import { IPPROTO_TCP, type NetEvent } from '../events/event';
import { memberTest } from '../util/member-test';
import { unreachableSourceReason } from '../util/net';
import type { DetectContext, Finding } from './detector';
import { flowSessions } from './flow-sessions';
import { isPacket, isRst, isSyn, isSynAck } from './common';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';
import { answersFinding, TargetAnswers } from './synflood/answers';
import { flowAnswersFinding, flowFloodFinding, FlowServer, FlowTarget } from './synflood/flow-records';
import { floodFinding, isFlood, ServerSyns, untrackedFinding } from './synflood/syn-stats';

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
 *
 * Streaming: every TCP packet and flow record is folded into per-server,
 * per-port and per-target accumulators as it is read (see syn-stats.ts,
 * answers.ts, flow-records.ts for what each keeps and its bound).
 */

/** What one server and one target exchanged, in packets and in flow records. */
export interface PairState {
  packets: TargetAnswers;
  flows: FlowTarget;
}

/** Per (server, target) state for the targets known when the stream starts. */
export class TargetTracker {
  readonly pairs = new Map<string, Map<string, PairState>>();
  private readonly targets: Set<string>;
  // Asked of every TCP packet: string comparisons, where a Set would hash each forged address of a flood.
  private readonly isServer: (a: string | undefined) => boolean;
  private readonly isTarget: (a: string | undefined) => boolean;

  constructor(private readonly servers: ReadonlySet<string>, targets: readonly string[]) {
    this.targets = new Set(targets);
    this.isServer = memberTest(servers);
    this.isTarget = memberTest(targets);
  }

  has(target: string): boolean {
    return this.targets.has(target);
  }

  get(server: string, target: string): PairState | undefined {
    return this.pairs.get(server)?.get(target);
  }

  private pair(server: string, target: string): PairState {
    let byTarget = this.pairs.get(server);
    if (!byTarget) this.pairs.set(server, (byTarget = new Map()));
    let p = byTarget.get(target);
    if (!p) byTarget.set(target, (p = { packets: new TargetAnswers(), flows: new FlowTarget() }));
    return p;
  }

  /** A TCP packet with addresses. */
  addPacket(e: NetEvent & { src: string; dst: string }): void {
    if (this.targets.size === 0) return;
    if (this.isServer(e.src) && this.isTarget(e.dst)) {
      const a = this.pair(e.src, e.dst).packets;
      a.outbound++;
      if (isSynAck(e)) a.addAnswer(e, true);
      else if (isRst(e) && !isSyn(e)) a.addAnswer(e, false);
    }
    if (this.isServer(e.dst) && this.isTarget(e.src)) {
      const a = this.pair(e.dst, e.src).packets;
      if (isSyn(e)) a.addSynFromTarget(e);
      else if (e.tcpFlags !== undefined && !isRst(e)) a.completedFromTarget = true;
    }
  }

  addSession(s: ReturnType<typeof flowSessions>[number]): void {
    if (this.targets.size === 0) return;
    if (s.proto === IPPROTO_TCP && s.serverPort !== undefined && this.servers.has(s.server) && this.targets.has(s.client)) {
      this.pair(s.server, s.client).flows.addTheirs(s);
    }
    if (this.servers.has(s.client) && this.targets.has(s.server)) this.pair(s.client, s.server).flows.ours++;
  }

  merge(o: TargetTracker): void {
    for (const [server, byTarget] of o.pairs) {
      for (const [target, theirs] of byTarget) {
        const mine = this.pair(server, target);
        mine.packets.merge(theirs.packets);
        mine.flows.merge(theirs.flows);
      }
    }
  }
}

interface ServerState {
  syns: ServerSyns;
  flows: FlowServer;
}

/** Exported for tests that look at its bounds. */
export class SynfloodAccumulator implements Accumulator {
  readonly servers = new Map<string, ServerState>();
  readonly tracker: TargetTracker;
  private readonly isServer: (a: string | undefined) => boolean;

  constructor(ctx: StreamContext) {
    for (const s of ctx.accused) this.servers.set(s, { syns: new ServerSyns(), flows: new FlowServer() });
    this.tracker = new TargetTracker(new Set(ctx.accused), ctx.targets);
    this.isServer = memberTest(ctx.accused);
  }

  add(e: NetEvent): void {
    if (isPacket(e)) {
      if (e.proto !== IPPROTO_TCP) return;
      const to = this.isServer(e.dst) ? this.servers.get(e.dst) : undefined;
      if (to) {
        if (isSyn(e)) { if (e.dport !== undefined) to.syns.addSyn(e); }
        else if (e.tcpFlags !== undefined && !isRst(e)) to.syns.addFollowUp(e);
      }
      this.tracker.addPacket(e);
      return;
    }
    if (e.kind !== 'flow') return;
    for (const s of flowSessions([e])) {
      const to = this.servers.get(s.server);
      if (to && s.proto === IPPROTO_TCP && s.serverPort !== undefined) to.flows.add(s);
      this.tracker.addSession(s);
    }
  }

  merge(other: Accumulator): void {
    const o = other as SynfloodAccumulator;
    for (const [server, theirs] of o.servers) {
      const mine = this.servers.get(server);
      if (!mine) { this.servers.set(server, theirs); continue; }
      mine.syns.merge(theirs.syns);
      mine.flows.merge(theirs.flows);
    }
    this.tracker.merge(o.tracker);
  }

  finish(ctx: DetectContext): Finding[] {
    // Targets the evidence suggested at the end (the complaint named none) were not followed while streaming:
    // their state comes from the events the pipeline retained.
    const missing = ctx.targets.filter((t) => !this.tracker.has(t));
    let late: TargetTracker | undefined;
    if (missing.length) {
      late = new TargetTracker(new Set(this.servers.keys()), missing);
      for (const e of ctx.events) {
        if (isPacket(e)) { if (e.proto === IPPROTO_TCP) late.addPacket(e); } else if (e.kind === 'flow') for (const s of flowSessions([e])) late.addSession(s);
      }
    }
    const pair = (server: string, target: string): PairState | undefined => (this.tracker.has(target) ? this.tracker : late)?.get(server, target);
    const findings: Finding[] = [];
    // An address no network can route is nobody's server: the impossible-source detector speaks for it.
    for (const server of ctx.accused.filter((a) => !unreachableSourceReason(a, ctx.targets))) {
      const st = this.servers.get(server);
      if (!st) continue;
      const floods = st.syns.portsInTimeOrder().map((p) => ({ p, c: st.syns.completion(p) })).filter(({ p, c }) => isFlood(p, c));
      for (const { p, c } of floods) findings.push(floodFinding(server, p, c, st.syns.handshakes.earlyLevel > 0));
      const seen = floods.map(({ p }) => ({ port: p.port, sources: p.sourceCount() }));
      for (const target of ctx.targets) {
        const a = pair(server, target);
        const f = a && answersFinding(server, target, a.packets, seen);
        if (f) findings.push(f);
      }
      if (st.syns.untrackedSyns) findings.push(untrackedFinding(server, 'SYNs', st.syns.untrackedSyns, st.syns.untrackedPorts.size));
      // With the capture at hand the flow records are not counted a second time.
      if (st.syns.inboundSyns > 0) continue;
      const flowFloods = st.flows.floods();
      for (const p of flowFloods) findings.push(flowFloodFinding(server, p));
      for (const target of ctx.targets) {
        const a = pair(server, target);
        const f = a && flowAnswersFinding(server, target, a.flows, flowFloods.map((p) => p.port));
        if (f) findings.push(f);
      }
      if (st.flows.untrackedRecords) findings.push(untrackedFinding(server, 'flow records', st.flows.untrackedRecords, st.flows.untrackedPorts.size));
    }
    return findings;
  }
}

export const synfloodBackscatter = streamingDetector('synflood-backscatter', (ctx) => new SynfloodAccumulator(ctx));
