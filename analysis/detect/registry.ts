import type { DetectContext, Detector, Finding } from './detector';
import { detectorError } from './detector-run';
import type { StreamDetector } from './stream';
import { retaining } from './retained';
import { betweenUsAndThem, fromUnroutableAccused, nothing, whatTheirSensorSaw } from './retained-slices';
import { bruteForce } from './brute-force';
import { craftedPackets } from './crafted-packets';
import { hostRole } from './host-role';
import { icmpBackscatter } from './icmp-backscatter';
import { idsReplay } from './ids-replay';
import { impossibleSource } from './impossible-source';
import { outboundScan } from './outbound-scan';
import { reflection } from './reflection';
import { requestedByThem } from './requested-by-them';
import { serverAnswering } from './server-answering';
import { synfloodBackscatter } from './synflood-backscatter';
import { wormPatterns } from './worm-patterns';

/**
 * Events a batch detector keeps of its slice (see retained.ts): about 40 MiB
 * each at most; past it the findings say how many were not seen.
 */
export const MAX_SLICE_EVENTS = 100_000;

/**
 * Every detector, in the order their findings are listed. Add a detector by
 * importing it and appending it here (file-type's detector list works the same way).
 */
export const detectors: Array<Detector | (Detector & StreamDetector)> = [
  retaining(hostRole, nothing, 0),
  retaining(impossibleSource, fromUnroutableAccused, MAX_SLICE_EVENTS),
  synfloodBackscatter,
  icmpBackscatter,
  reflection,
  retaining(serverAnswering, betweenUsAndThem, MAX_SLICE_EVENTS),
  outboundScan,
  requestedByThem,
  wormPatterns,
  bruteForce,
  craftedPackets,
  retaining(idsReplay, whatTheirSensorSaw, MAX_SLICE_EVENTS),
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
