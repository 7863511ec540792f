import { IPPROTO_TCP, IPPROTO_UDP, type NetEvent } from '../events/event';
import { SCANLOGD_DELAY_US, scanlogdWeight } from './scanlogd';

/**
 * Not every sensor reads flags. Home-grown scripts, firewall "port scan"
 * features and flow-based tools count distinct destination ports of ANY
 * packets. We report what such a counter would see on our packets with
 * scanlogd's own pacing (new ports at most 3 s apart) and weights, so the
 * reply can say: "your sensor counted our server's replies to N client ports".
 */
export interface FlagBlindChain { ports: number; weight: number; packets: NetEvent[]; target?: string; start?: number; end?: number }

/** What it counts, for the count's finding. */
export const FLAG_BLIND_EXPLANATION = 'This is what scanlogd-like pacing gives when flags are ignored. Our server answering many clients behind one NAT address, each from its '
  + 'own source port, produces exactly this; scanlogd itself, and Snort\'s sfPortscan, do not count replies.';

/** The heaviest chain of new destination ports (any flags) toward one target, each new port within 3 s of the previous. */
export function flagBlindChain(packets: NetEvent[]): FlagBlindChain {
  const byTarget = new Map<string, NetEvent[]>();
  for (const ev of packets) {
    if (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP) continue;
    if (ev.dport === undefined) continue;
    const l = byTarget.get(ev.dst!) ?? [];
    l.push(ev);
    byTarget.set(ev.dst!, l);
  }
  // The best chain so far as scalars and a reference: an object per improvement was one per port of a vertical scan.
  let bestWeight = 0, bestPorts = 0, bestLen = 0, bestStart = 0, bestEnd = 0;
  let bestChain: NetEvent[] = [];
  let bestTarget: string | undefined;
  for (const [target, list] of byTarget) {
    let seen = new Set<number>();
    let chain: NetEvent[] = [];
    let weight = 0;
    let lastNew = -Infinity;
    for (const ev of list) {
      if (seen.has(ev.dport!)) continue;
      if (ev.ts - lastNew > SCANLOGD_DELAY_US) { seen = new Set(); chain = []; weight = 0; }
      seen.add(ev.dport!);
      chain.push(ev);
      weight += scanlogdWeight(ev.dport!);
      lastNew = ev.ts;
      // Remember the chain by reference and length: copying it on every improvement would be quadratic.
      if (weight > bestWeight) {
        bestWeight = weight; bestPorts = seen.size; bestChain = chain; bestLen = chain.length; bestTarget = target; bestStart = chain[0].ts; bestEnd = ev.ts;
      }
    }
  }
  if (bestTarget === undefined) return { ports: 0, weight: 0, packets: [] };
  return { ports: bestPorts, weight: bestWeight, packets: bestChain.slice(0, bestLen), target: bestTarget, start: bestStart, end: bestEnd };
}
