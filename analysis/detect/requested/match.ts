import { ANSWER_WINDOW_US, type RequestKind } from './kinds';
import type { KeptOpening, KeptRequest, PeerState } from './peers';

/** Our packets of one kind from one host to one peer, each answering a request of theirs. */
export interface Answered {
  kind: RequestKind;
  ours: string;
  peer: string;
  answers: KeptOpening[];
  /** The requests answered, in time order (one request may be answered more than once: retries). */
  requests: KeptRequest[];
  /** Our openings from `ours` to `peer`, of any kind, that no request of theirs explains. */
  unmatched: number;
  /** Our openings to `peer` past the kept ones, never checked. */
  unchecked: number;
}

/**
 * The latest request of theirs that `o` answers: same description, asked of
 * this host (or of any, for a probe in transit), no later than our packet and
 * no earlier than the protocol's window.
 */
export function requestFor(o: KeptOpening, byKey: ReadonlyMap<string, KeptRequest[]>): KeptRequest | undefined {
  if (o.key === undefined) return undefined;
  const candidates = byKey.get(o.key);
  if (!candidates) return undefined;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const r = candidates[i];
    if (r.ts > o.ts) continue;
    if (o.ts - r.ts > ANSWER_WINDOW_US[r.kind]) continue;
    if (r.ours === undefined || r.ours === o.ours) return r;
  }
  return undefined;
}

/** Every answered (kind, our host) of one peer, and per our host the openings nothing explains. */
export function matchPeer(peer: string, s: PeerState): { answered: Answered[]; unmatchedByShape: Map<string, number> } {
  const byKey = new Map<string, KeptRequest[]>();
  for (const r of s.requests.sorted()) {
    let l = byKey.get(r.key);
    if (!l) byKey.set(r.key, (l = []));
    l.push(r);
  }
  const groups = new Map<string, Answered>();
  const unmatched = new Map<string, number>();
  /** `${ours}|${shape}` -> our openings of that shape no request explains. */
  const unmatchedByShape = new Map<string, number>();
  const unchecked = s.openings.count - s.openings.sorted().length;
  // Echo replies are part of a traceroute (mtr, traceroute -I: the last hop answers the echo) when the peer traced;
  // plain pings are left alone: forged ones are icmp-backscatter's, and nobody complains of the answer to their own ping.
  const traced = s.requests.sorted().some((r) => r.kind === 'traceroute-replies');
  for (const o of s.openings.sorted()) {
    const r = requestFor(o, byKey);
    if (r?.kind === 'echo-replies' && !traced) continue;
    if (!r) {
      unmatched.set(o.ours, (unmatched.get(o.ours) ?? 0) + 1);
      if (o.shape) unmatchedByShape.set(`${o.ours}|${o.shape}`, (unmatchedByShape.get(`${o.ours}|${o.shape}`) ?? 0) + 1);
      continue;
    }
    const kind = r.kind === 'echo-replies' ? 'traceroute-replies' : r.kind;
    const k = `${kind}|${o.ours}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { kind, ours: o.ours, peer, answers: [], requests: [], unmatched: 0, unchecked }));
    g.answers.push(o);
    if (!g.requests.includes(r)) g.requests.push(r);
  }
  for (const g of groups.values()) {
    g.unmatched = unmatched.get(g.ours) ?? 0;
    g.requests.sort((a, b) => a.ts - b.ts);
  }
  return { answered: [...groups.values()], unmatchedByShape };
}
