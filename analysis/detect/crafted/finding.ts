import type { Finding } from '../detector';
import { seconds, strength } from '../common';
import { replay } from '../stream-evidence';
import { KINDS, type Kind } from './kinds';
import type { Tally } from './tally';

/** Bounds the accumulator reached: stated in the findings they affect, never silently. */
export interface CraftedBounds {
  sourcesDropped: number;
  /** Packets of TCP conversations past the table's limit (same-port and lone-ACK findings). */
  packetsNotFollowed: number;
  /** Lone-ACK flow records past the pending limit (lone-ACK findings). */
  recordsNotClassified: number;
}

export function craftedFinding(src: string, kind: Kind, a: Tally, b: CraftedBounds): Finding {
  const k = KINDS[kind];
  const n = a.packets;
  const hosts = a.targets.count();
  const about = a.targets.exact ? '' : 'about ';
  const conversational = kind === 'same-port' || kind === 'ack-no-handshake';
  return {
    id: `crafted-${kind}`, detector: 'crafted-packets', leaning: k.leaning,
    strength: strength(k.strength + (k.leaning === 'compromise' ? Math.min(0.15, n / 500) : 0)),
    summary: kind === 'fragment-port-zero'
      ? `${n} packets from ${src} are non-first IP fragments: they have no ports, which an IDS shows as "port 0".`
      : `${src} sent ${n} ${k.what} to ${about}${hosts} host${hosts === 1 ? '' : 's'}.`,
    explanation: k.why,
    evidence: replay(a.quotes.events()).refs(),
    facts: {
      source: src, kind, packets: n, targetCount: hosts, targetSample: a.firstTargets.keys(), spanSeconds: seconds(a.first, a.last),
      ...(kind === 'fragment-port-zero'
        ? { note: 'non-first fragments carry no TCP/UDP header; IDSs show their ports as 0 (RFC 791; SANS ISC diary 2005-06-03)' }
        : {}),
      ...(kind === 'ack-no-handshake' ? { conversations: a.conversations, refusedByRst: a.refused } : {}),
      ...(a.targets.exact ? {} : { targetCountExact: false }),
      ...positive({
        joinedLateNotCounted: a.joinedLate,
        sourcesNotFollowed: b.sourcesDropped,
        packetsNotFollowed: conversational ? b.packetsNotFollowed : 0,
        conversationsNotQuoted: a.unquoted,
        recordsNotClassified: kind === 'ack-no-handshake' ? b.recordsNotClassified : 0,
      }),
    },
  };
}

/** Only the parts that are not zero: a bound that was not reached, or a rule that left nothing out, is not a fact. */
function positive(parts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parts)) if (v > 0) out[k] = v;
  return out;
}
