import { IPPROTO_TCP, TCP_ACK, TCP_RST, type NetEvent } from '../events/event';
import type { SensorAlarm } from './alarm';

/**
 * scanlogd 2.2.x, scanlogd.c process_packet() and params.h (Openwall):
 *  - TCP only; non-first fragments are skipped (ip_off & IP_OFFMASK).
 *  - State is per SOURCE address (any destination): timestamp of the last new
 *    port, the ports seen (up to SCAN_MAX_COUNT - 1 = 20 remembered), a weight.
 *  - A packet within SCAN_DELAY_THRESHOLD (3 s) of the entry's timestamp:
 *      port already seen -> only flags are merged, timestamp NOT refreshed;
 *      new port but ACK or RST set -> ignored ("could be an outgoing connection");
 *      new port otherwise -> timestamp = now, weight += 3 if port < 1024 else 1
 *      (PORT_WEIGHT_PRIV / PORT_WEIGHT_HIGH); weight >= SCAN_WEIGHT_THRESHOLD (21,
 *      = SCAN_MIN_COUNT 7 * 3) logs the scan once ("Logged this scan already? Then leave").
 *  - Otherwise the entry is stale and dropped; a packet with ACK set does not
 *    create a new entry ("We don't need an ACK from a new source address"), any
 *    other packet (SYN, FIN, NULL, bare RST ...) starts one with its port's weight.
 * Consequence: SYN-ACKs, data and FIN-ACKs from our servers can never count.
 */
/** SCAN_DELAY_THRESHOLD: new ports at most this far apart belong to one scan. */
export const SCANLOGD_DELAY_US = 3_000_000;
/** SCAN_WEIGHT_THRESHOLD. */
export const SCANLOGD_WEIGHT_THRESHOLD = 21;
/** PORT_WEIGHT_PRIV: a new port below 1024; PORT_WEIGHT_HIGH (1) for the others. */
export const SCANLOGD_PRIV_WEIGHT = 3;
/** SCAN_MAX_COUNT - 1: the ports an entry remembers. */
const SCANLOGD_MAX_PORTS = 20;

export const scanlogdWeight = (port: number): number => (port < 1024 ? SCANLOGD_PRIV_WEIGHT : 1);

export const SCANLOGD_ALARMS: SensorAlarm[] = [
  { sensor: 'scanlogd', count: SCANLOGD_WEIGHT_THRESHOLD, unit: 'ports', rule: 'SCAN_WEIGHT_THRESHOLD, reached by that many new ports of 1024 and above (weight 1 each) at most 3 s apart' },
  { sensor: 'scanlogd', count: SCANLOGD_WEIGHT_THRESHOLD / SCANLOGD_PRIV_WEIGHT, unit: 'ports', rule: 'SCAN_MIN_COUNT, reached by that many new ports below 1024 (weight 3 each) at most 3 s apart' },
];

/** Its threshold in one sentence, for the first look. */
export const SCANLOGD_THRESHOLD_TEXT = `scanlogd alarms at weight ${SCANLOGD_WEIGHT_THRESHOLD} (each new port below 1024 weighs ${SCANLOGD_PRIV_WEIGHT}, others 1), the new ports at most 3 s apart; `
  + 'packets with ACK or RST set to a new port are ignored, so a server\'s replies never count';

/** What it counts, for the replay's finding. */
export const SCANLOGD_EXPLANATION = 'scanlogd (scanlogd.c) counts, per source address, TCP packets to new destination ports arriving at most 3 s apart: ports below 1024 weigh 3, '
  + `others 1, and it logs at weight ${SCANLOGD_WEIGHT_THRESHOLD}. It ignores a packet to a new port when ACK or RST is set, and never starts tracking a source on an ACK, `
  + 'so a server\'s replies (SYN-ACK, data, FIN-ACK) can never make it fire.';

export interface ScanlogdResult {
  fired: boolean;
  weight: number;
  ports: number[];
  packets: NetEvent[];
  windowStart?: number;
  alarmTs?: number;
  ignoredAck: number;
  considered: number;
}

/** scanlogd's count over one source address's packets, in time order: the alarm, or the highest weight reached. */
export function replayScanlogd(packets: NetEvent[]): ScanlogdResult {
  let entry: { ts: number; ports: number[]; weight: number; packets: NetEvent[]; start: number } | null = null;
  let best: ScanlogdResult = { fired: false, weight: 0, ports: [], packets: [], ignoredAck: 0, considered: 0 };
  let ignoredAck = 0;
  let considered = 0;
  for (const ev of packets) {
    if (ev.proto !== IPPROTO_TCP || ev.dport === undefined || (ev.fragment && ev.fragment.offset > 0)) continue;
    considered++;
    const flags = ev.tcpFlags ?? 0;
    const port = ev.dport;
    if (entry && ev.ts - entry.ts <= SCANLOGD_DELAY_US && ev.ts >= entry.ts) {
      if (entry.ports.includes(port)) continue;
      if (flags & (TCP_ACK | TCP_RST)) { ignoredAck++; continue; }
      entry.ts = ev.ts;
      if (entry.weight >= SCANLOGD_WEIGHT_THRESHOLD) continue;
      entry.weight += scanlogdWeight(port);
      entry.packets.push(ev);
      if (entry.weight >= SCANLOGD_WEIGHT_THRESHOLD) {
        if (!best.fired) {
          best = { fired: true, weight: entry.weight, ports: [...entry.ports, port], packets: [...entry.packets], windowStart: entry.start, alarmTs: ev.ts, ignoredAck: 0, considered: 0 };
        }
        continue;
      }
      if (entry.ports.length < SCANLOGD_MAX_PORTS) entry.ports.push(port);
      if (!best.fired && entry.weight > best.weight) {
        best = { fired: false, weight: entry.weight, ports: [...entry.ports], packets: [...entry.packets], windowStart: entry.start, alarmTs: ev.ts, ignoredAck: 0, considered: 0 };
      }
      continue;
    }
    entry = null;
    if (flags & TCP_ACK) { ignoredAck++; continue; }
    entry = { ts: ev.ts, ports: [port], weight: scanlogdWeight(port), packets: [ev], start: ev.ts };
    if (!best.fired && entry.weight > best.weight) {
      best = { fired: false, weight: entry.weight, ports: [port], packets: [ev], windowStart: ev.ts, alarmTs: ev.ts, ignoredAck: 0, considered: 0 };
    }
  }
  return { ...best, ignoredAck, considered };
}
