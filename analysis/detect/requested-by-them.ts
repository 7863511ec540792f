import type { NetEvent } from '../events/event';
import type { DetectContext, Finding } from './detector';
import { isPacket } from './common';
import { openingOf, requestsOf } from './requested/kinds';
import { answerFinding } from './requested/finding';
import { matchPeer, type Answered } from './requested/match';
import { PeerTable } from './requested/peers';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';
import { streamSubject } from './stream-subject';

/**
 * Traffic our host sent because the other side asked for it: active-mode
 * FTP data connections after their PORT/EPRT, ident callbacks after they
 * connected, ICMP answers to their traceroute probes and pings (the kinds
 * and their RFCs are in requested/kinds.ts). One rule covers them all: a
 * request from their side, earlier in the evidence, that our packet answers
 * or that their protocol defines as causing ours.
 *
 * Streaming: their requests and our openings are kept per peer, the earliest
 * of each up to a limit (requested/peers.ts); matching is done at the end,
 * so the order in which events or files arrive does not matter and two
 * accumulators merge exactly.
 */

/** Findings listed at most (the complaint's peers first, then by how much was answered). */
export const MAX_FINDINGS = 50;

export class RequestedAccumulator implements Accumulator {
  readonly table: PeerTable;
  private readonly isOurs: (a: string) => boolean;

  constructor(ctx: StreamContext) {
    this.isOurs = streamSubject(ctx);
    this.table = new PeerTable(new Set(ctx.targets));
  }

  add(ev: NetEvent): void {
    if (!isPacket(ev)) return;
    const o = openingOf(ev, this.isOurs);
    if (o) { this.table.opening(o, ev); return; }
    // Every request a packet makes names its source as the peer: a peer turned away (a flood's
    // forged sources, past the sample) spares building requests that would not be kept.
    if (this.isOurs(ev.src) || this.table.turnsAway(ev.src)) return;
    for (const r of requestsOf(ev, this.isOurs)) this.table.request(r, ev);
  }

  merge(other: Accumulator): void {
    this.table.merge((other as RequestedAccumulator).table);
  }

  finish(ctx: DetectContext): Finding[] {
    const { entries, sampled } = this.table.peers();
    const named = new Set(ctx.targets);
    const answered: Answered[] = [];
    const shapeUnmatched = new Map<string, number>();
    let complete = !sampled;
    for (const [peer, s] of entries) {
      if (!s.openings.complete || !s.requests.complete) complete = false;
      const m = matchPeer(peer, s);
      for (const [k, n] of m.unmatchedByShape) shapeUnmatched.set(k, (shapeUnmatched.get(k) ?? 0) + n);
      // A complaint about one peer is answered about that peer: others' requests say nothing of it.
      if (named.size === 0 || named.has(peer)) answered.push(...m.answered);
    }
    const byName = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
    answered.sort((a, b) => Number(named.has(b.peer)) - Number(named.has(a.peer)) || b.answers.length - a.answers.length
      || byName(a.peer, b.peer) || byName(a.kind, b.kind) || byName(a.ours, b.ours));
    return answered.slice(0, MAX_FINDINGS).map((a) => answerFinding({
      ...a, shapeUnmatched: shapeUnmatched.get(`${a.ours}|${a.kind}`) ?? 0, complete,
    }));
  }
}

export const requestedByThem = streamingDetector('requested-by-them', (ctx) => new RequestedAccumulator(ctx));
