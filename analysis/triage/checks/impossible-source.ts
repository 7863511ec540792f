import type { Finding } from '../../detect/detector';
import { ref } from '../../detect/excerpt';
import { inCidrs, isLoopback, isPrivate, unreachableSourceReason } from '../../util/net';
import type { TriageCheck, TriageContext } from '../context';

/**
 * Sources no network can route to the complainant (loopback, 0.0.0.0/8,
 * multicast, private space seen across the Internet) were not sent by us:
 * seed 000's "portscans from 127.0.0.1 source port 80" are RSTs produced on
 * the complainant's own segment. Private space that is not ours is theirs.
 */
export const impossibleSourceCheck: TriageCheck = {
  id: 'impossible-source',
  check(ctx: TriageContext): Finding[] {
    const c = ctx.complaint;
    const peers = ctx.targets.length ? ctx.targets : c.quotedEvents.map((e) => e.dst).filter((d): d is string => !!d);
    const candidates = [...new Set([...c.accused, ...c.quotedEvents.filter((e) => e.src && c.accused.includes(e.src)).map((e) => e.src!)])];
    const out: Finding[] = [];
    for (const addr of candidates) {
      const seen = c.quotedEvents.filter((e) => e.src === addr);
      const reason = unreachableSourceReason(addr, peers);
      const notOurs = ctx.ourNets.length > 0 && !inCidrs(addr, ctx.ourNets);
      if (reason) {
        const loop = isLoopback(addr);
        out.push({
          id: 'first-look-impossible-source', detector: 'first-look/impossible-source', leaning: 'backscatter',
          strength: loop ? 0.9 : 0.7,
          summary: `The reported source ${addr} is ${reason}: no packet from it crosses the Internet, so it was produced on the complainant's own network${loop ? ' (the Blaster "127.0.0.1 port 80" artefact when the packets are RSTs from port 80)' : ''}.`,
          explanation: 'Only the link layer shows which machine sent such frames: the source MAC address in a capture on their segment, looked up in their switch.',
          evidence: seen.slice(0, 8).map(ref),
          facts: { address: addr, loopback: loop, reason, traceMac: true },
        });
      } else if (notOurs && isPrivate(addr)) {
        out.push({
          id: 'first-look-foreign-private', detector: 'first-look/impossible-source', leaning: 'backscatter', strength: 0.6,
          summary: `The reported source ${addr} is private address space that is not ours: it is inside the complainant's own network (or its NAT), not a host of ours.`,
          evidence: seen.slice(0, 8).map(ref),
          facts: { address: addr, reason: 'private, not in our networks', traceMac: true },
        });
      }
    }
    return out;
  },
};
