import { IPPROTO_ICMP, type NetEvent } from '../events/event';
import { unreachableSourceReason } from '../util/net';
import type { DetectContext, Detector, Finding } from './detector';
import { ref, sample } from './excerpt';
import { isPacket } from './common';

/**
 * ICMP types CAIDA counts as backscatter (Moore et al., "Inferring Internet
 * Denial-of-Service Activity"): echo reply (0), unreachable (3), source
 * quench (4), redirect (5), time exceeded (11), parameter problem (12),
 * timestamp reply (14), information reply (16), address mask reply (18).
 * They are all answers: our host sends them because something sent it a
 * packet carrying the receiver's address.
 */
const BACKSCATTER_TYPES = new Set([0, 3, 4, 5, 11, 12, 14, 16, 18]);
const ICMP_NAMES: Record<number, string> = {
  0: 'echo reply', 3: 'destination unreachable', 4: 'source quench', 5: 'redirect', 11: 'time exceeded',
  12: 'parameter problem', 14: 'timestamp reply', 16: 'information reply', 18: 'address mask reply',
};

export const icmpBackscatter: Detector = {
  id: 'icmp-backscatter',
  detect(ctx: DetectContext): Finding[] {
    const findings: Finding[] = [];
    const icmp = ctx.events.filter(isPacket).filter((e) => e.proto === IPPROTO_ICMP && e.icmp);
    // An address no network can route is nobody's server: the impossible-source detector speaks for it.
    for (const server of ctx.accused.filter((a) => !unreachableSourceReason(a, ctx.targets))) {
      for (const target of ctx.targets) {
        const ours = icmp.filter((e) => e.src === server && e.dst === target);
        // An error goes to the source of the datagram it quotes (RFC 792): one quoting any other source
        // answers nothing the target sent, whoever built it.
        const answers = ours.filter((e) => BACKSCATTER_TYPES.has(e.icmp!.type) && (!e.icmp!.quoted || e.icmp!.quoted.src === target));
        if (answers.length === 0) continue;
        // An ICMP error quotes the packet that provoked it: if that packet claimed the complainant as source, so be it.
        const quotedFromTarget = answers.filter((e) => e.icmp!.quoted?.src === target);
        const types = [...new Set(answers.map((e) => ICMP_NAMES[e.icmp!.type] ?? `type ${e.icmp!.type}`))];
        const quotedExample = quotedFromTarget[0]?.icmp?.quoted;
        findings.push({
          id: 'icmp-backscatter',
          detector: 'icmp-backscatter',
          leaning: 'backscatter',
          strength: 0.4 + (answers.length === ours.length ? 0.2 : 0) + (quotedFromTarget.length ? 0.25 : 0),
          summary: `${server} sent ${answers.length} ICMP ${types.join('/')} messages to ${target}: answers, not probes${quotedFromTarget.length ? `; ${quotedFromTarget.length} of them quote a packet that carried ${target} as its source` : ''}.`,
          explanation: quotedExample
            ? `An ICMP error carries the header of the packet that caused it (RFC 792). The quoted header reads ${quotedExample.src}${quotedExample.sport !== undefined ? `:${quotedExample.sport}` : ''} -> ${quotedExample.dst}${quotedExample.dport !== undefined ? `:${quotedExample.dport}` : ''}: a packet with your address as source reached us first, and our host reported the error back to that (forged) source.`
            : 'These ICMP messages are replies our host sends when it receives a packet; they reach the address the triggering packet carried as its source.',
          evidence: sample(answers, 8).map((e: NetEvent) => ref(e)),
          facts: { server, target, answers: answers.length, quotedFromTarget: quotedFromTarget.length, types },
        });
      }
    }
    return findings;
  },
};
