import type { DetectContext, Detector, Finding } from './detector';
import { detectorError } from './detector-run';
import type { StreamDetector } from './stream';
import { bruteForce } from './brute-force';
import { craftedPackets } from './crafted-packets';
import { hostRole } from './host-role';
import { icmpBackscatter } from './icmp-backscatter';
import { idsReplay } from './ids-replay';
import { impossibleSource } from './impossible-source';
import { outboundScan } from './outbound-scan';
import { serverAnswering } from './server-answering';
import { synfloodBackscatter } from './synflood-backscatter';
import { wormPatterns } from './worm-patterns';

/**
 * Every detector, in the order their findings are listed. Add a detector by
 * importing it and appending it here (file-type's detector list works the same way).
 */
export const detectors: Array<Detector | (Detector & StreamDetector)> = [
  hostRole,
  impossibleSource,
  synfloodBackscatter,
  icmpBackscatter,
  serverAnswering,
  outboundScan,
  wormPatterns,
  bruteForce,
  craftedPackets,
  idsReplay,
];

/**
 * Run every detector on the same context. A detector that throws is a bug,
 * but it must not hide the other detectors' findings: its error is reported
 * as a zero-strength context finding and the rest go on.
 */
export function runDetectors(ctx: DetectContext, list: readonly Detector[] = detectors): Finding[] {
  const out: Finding[] = [];
  for (const d of list) {
    try {
      out.push(...d.detect(ctx));
    } catch (e) {
      out.push(detectorError(d.id, e));
    }
  }
  return out;
}
