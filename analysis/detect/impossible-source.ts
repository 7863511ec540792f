import type { NetEvent } from '../events/event';
import { isLoopback, unreachableSourceReason } from '../util/net';
import type { DetectContext, Detector, Finding } from './detector';
import { ref, sample } from './excerpt';

/**
 * Traffic "from" an address no network could route to the complainant
 * (127.0.0.1, 0.0.0.0/8, RFC 1918 space across the Internet) was not sent by
 * us: seed 000's RSTs from 127.0.0.1:80 are Blaster-infected hosts on the
 * complainant's own segment, whose spoofed SYN to "windowsupdate.com =
 * 127.0.0.1" was answered by their own stack. Only the link layer tells who
 * put such a packet on the wire, so we name the source MAC addresses.
 */
const PACKET_ACTIVITIES = new Set(['port-scan', 'sweep', 'flood', 'brute-force', 'worm']);

export const impossibleSource: Detector = {
  id: 'impossible-source',
  detect(ctx: DetectContext): Finding[] {
    const findings: Finding[] = [];
    // Only a complaint about packets received "from" the address can be impossible; an open-service
    // or spam report about an anonymised sample address is another matter.
    if (!PACKET_ACTIVITIES.has(ctx.complaint.activity)) return findings;
    const impossible = [...new Set([...ctx.complaint.accused, ...ctx.accused])].filter((a) => unreachableSourceReason(a, ctx.targets));
    for (const addr of impossible) {
      const seen = [...ctx.complaint.quotedEvents, ...ctx.events].filter((e) => e.src === addr);
      const macs = new Map<string, NetEvent[]>();
      for (const e of seen) {
        if (!e.srcMac) continue;
        const list = macs.get(e.srcMac) ?? [];
        list.push(e);
        macs.set(e.srcMac, list);
      }
      const sport = [...new Set(seen.map((e) => e.sport).filter((p) => p !== undefined))];
      const rsts = seen.filter((e) => e.tcpFlags !== undefined && (e.tcpFlags & 0x04)).length;
      const loop = isLoopback(addr);
      const macList = [...macs.keys()];
      findings.push({
        id: 'impossible-source',
        detector: 'impossible-source',
        leaning: 'backscatter',
        strength: loop ? 0.9 : 0.7,
        summary: loop
          ? `The reported source ${addr} is a loopback address: no packet from it can cross the Internet, so no ISP sent it; it was produced on your own network segment.`
          : `The reported source ${addr} is ${unreachableSourceReason(addr, ctx.targets)}, so the packets cannot have come from our network across the Internet; they were produced inside yours.`,
        explanation: [
          loop && sport.includes(80) && rsts > 0
            ? 'RSTs from 127.0.0.1 port 80 are the known Blaster (W32.Blaster) artefact: an infected host sends a SYN with a forged source to "windowsupdate.com" resolved to 127.0.0.1, its own stack answers with a RST, and that RST leaves the host towards the forged address.'
            : '',
          macList.length
            ? `Your capture shows who put them on the wire: source MAC address${macList.length > 1 ? 'es' : ''} ${macList.join(', ')}. Look ${macList.length > 1 ? 'them' : 'it'} up in your switch's MAC address table (e.g. "show mac address-table address ${macList[0]}") to find the port and the infected machine.`
            : 'Only the link layer can tell who sent such packets: please look at the source MAC address of these frames in a capture on your segment and look it up in your switch\'s MAC address table.',
        ].filter(Boolean).join(' '),
        evidence: sample(seen, 8).map(ref),
        facts: { address: addr, loopback: loop, macs: macList, packets: seen.length, rsts, sourcePorts: sport as number[] },
      });
    }
    return findings;
  },
};
