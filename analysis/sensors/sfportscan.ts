import {
  IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_RST, TCP_SYN, type NetEvent,
} from '../events/event';
import { TupleMap } from '../detect/tuple-map';
import type { SensorAlarm } from './alarm';

/**
 * Snort 2.9 sfPortscan, portscan.c. Thresholds per sense level, PS_ALERT_CONF
 * {connection_count, priority_count, u_ip_count, u_port_count} for a TCP
 * one-to-one portscan: low {0,5,25,5}, medium {200,10,60,15}, high {200,5,100,10};
 * TCP portsweep (one-to-many): low {0,5,5,15}, medium {30,7,7,10}, high {30,3,3,10};
 * UDP portscan: low {0,5,25,5}, medium {200,10,60,15}, high {200,3,100,10}.
 * Windows (ps_proto_update_window): low 60 s, medium 90 s, high 600 s; all
 * counters reset when a counted packet arrives after the window.
 * Counting (ps_tracker_update_tcp, default without include_midstream):
 *  - connection_count +1 and the "unique" counters for each initiating packet
 *    (a client SYN); -1 for a SYN-ACK (handshake completing);
 *  - u_port_count / u_ip_count grow when the port / address DIFFERS FROM THE
 *    PREVIOUS ONE (only the last value is stored), not per distinct value;
 *  - priority_count +1 for each RST on an unestablished session or ICMP
 *    unreachable: the target's "error" answers.
 * "TCP Portscan" fires when priority >= P and u_port >= U and u_ip < I;
 * "TCP Filtered Portscan" when connection_count >= C (C > 0) instead of priority.
 * Packets of established sessions and the server's replies are not counted.
 */
interface PsConf { conn: number; pri: number; ips: number; ports: number }
export type SenseLevel = 'low' | 'medium' | 'high';
export interface SfLevel { level: SenseLevel; windowS: number; tcp: PsConf; sweep: PsConf; udp: PsConf }

export const SF_LEVELS: SfLevel[] = [
  { level: 'low', windowS: 60, tcp: { conn: 0, pri: 5, ips: 25, ports: 5 }, sweep: { conn: 0, pri: 5, ips: 5, ports: 15 }, udp: { conn: 0, pri: 5, ips: 25, ports: 5 } },
  { level: 'medium', windowS: 90, tcp: { conn: 200, pri: 10, ips: 60, ports: 15 }, sweep: { conn: 30, pri: 7, ips: 7, ports: 10 }, udp: { conn: 200, pri: 10, ips: 60, ports: 15 } },
  { level: 'high', windowS: 600, tcp: { conn: 200, pri: 5, ips: 100, ports: 10 }, sweep: { conn: 30, pri: 3, ips: 3, ports: 10 }, udp: { conn: 200, pri: 3, ips: 100, ports: 10 } },
];
const level = (l: SenseLevel): SfLevel => SF_LEVELS.find((x) => x.level === l)!;

/** A stated count equal to a level's port count is its "TCP Portscan" threshold. */
export const SFPORTSCAN_ALARMS: SensorAlarm[] = SF_LEVELS.map((l) => ({
  sensor: 'snort', count: l.tcp.ports, unit: 'ports', rule: `sfPortscan "TCP Portscan" at sense level ${l.level}`, windowS: l.windowS, level: l.level,
}));

/** Its thresholds in one sentence, for the first look. */
export const SFPORTSCAN_THRESHOLD_TEXT = 'Snort sfPortscan counts connection attempts (client SYNs) and the target\'s RST / ICMP-unreachable answers, not a server\'s replies: "TCP Portscan" at '
  + SFPORTSCAN_ALARMS.map((a) => `${a.count} port changes in ${a.windowS} s (sense ${a.level})`).join(', ');

/** What it counts, for the replay's finding. */
export const SFPORTSCAN_EXPLANATION = 'sfPortscan (Snort 2.9 portscan.c) counts connection attempts (client SYNs, not the server\'s replies), the target\'s RST and ICMP-unreachable '
  + `answers, and how often the destination port changes, per scanned host within ${level('low').windowS} s (low), ${level('medium').windowS} s (medium) or ${level('high').windowS} s (high).`;

/** What each level needs, for "could not have fired at any sense level". */
export function sfPortscanNeeds(): string {
  const [low, medium, high] = [level('low').tcp, level('medium').tcp, level('high').tcp];
  return `low needs ${low.ports} and ${low.pri}, medium ${medium.ports} ports with ${medium.pri} errors or ${medium.conn} attempts, `
    + `high ${high.ports} ports with ${high.pri} errors or ${high.conn} attempts`;
}

export interface PsCounters { window: number; conn: number; pri: number; uPorts: number; lastPort: number; uIps: number; lastIp: string; packets: NetEvent[] }
const psNew = (): PsCounters => ({ window: -1, conn: 0, pri: 0, uPorts: 0, lastPort: -1, uIps: 0, lastIp: '', packets: [] });

export interface SfResult { level: SenseLevel; fired: boolean; alert?: string; ts?: number; counters: PsCounters; target?: string }

/**
 * Replays one sense level over our packets toward them and their answers,
 * both trackers: per scanned host (one-to-one) and per scanner (sweep).
 */
/** The alert a tracker raises now, if any (made once, not as a closure per packet: the replay runs over 100,000 packets). */
function alertOf(c: PsCounters, cf: PsConf, kind: 'scan' | 'sweep', proto: number | undefined): string | undefined {
  const shape = kind === 'scan' ? c.uIps < cf.ips && c.uPorts >= cf.ports : c.uIps >= cf.ips && c.uPorts <= cf.ports;
  if (!shape) return undefined;
  const label = proto === IPPROTO_UDP ? 'UDP' : 'TCP';
  const name = kind === 'scan' ? 'Portscan' : 'Portsweep';
  if (c.pri >= cf.pri) return `${label} ${name}`;
  // A connection count of 0 (sense level low) switches the filtered alert off, as in portscan.c.
  if (cf.conn !== 0 && c.conn >= cf.conn) return `${label} Filtered ${name}`;
  return undefined;
}

/** The tracker slot of a packet whose protocol is unknown (the key text read "undefined"). */
const NO_PROTO = 256;

/** What a packet does to the trackers, the same at every sense level. */
const SKIP = 0;
/** A SYN-ACK from them, or their answer to our datagram: a connection is being completed. */
const COMPLETED = 1;
/** Our connection attempt: a client SYN, or a datagram not answered yet. */
const ATTEMPT = 2;
/** Their error answer: a RST outside an established session, an ICMP unreachable. */
const ERROR = 3;

export function replaySfPortscan(events: NetEvent[], isUs: (a: string | undefined) => boolean, level: SfLevel): SfResult {
  return replaySfPortscanLevels(events, isUs, [level])[0];
}

/**
 * `replaySfPortscan` at several sense levels in one pass: what a packet is
 * (an attempt, an error answer, a completion) and the sessions it
 * establishes do not depend on the level, so they are worked out once per
 * packet; each tracker holds one set of counters per level.
 */
export function replaySfPortscanLevels(events: NetEvent[], isUs: (a: string | undefined) => boolean, levels: readonly SfLevel[]): SfResult[] {
  // Trackers per protocol, then per address, a set of counters per level: no key text is made per packet.
  const scanned: Array<Map<string, PsCounters[]>> = [];
  const scanner: Array<Map<string, PsCounters[]>> = [];
  const get = (byProto: Array<Map<string, PsCounters[]>>, proto: number, addr: string): PsCounters[] => {
    const m = byProto[proto] ?? (byProto[proto] = new Map());
    let c = m.get(addr);
    if (!c) { c = levels.map(psNew); m.set(addr, c); }
    return c;
  };
  const est = new TupleMap<true>();
  const establish = (proto: number, src: string, sport: number | undefined, dst: string, dport: number | undefined): void => {
    if (!est.has(proto, src, sport, dst, dport)) est.add(proto, src, sport, dst, dport, true);
  };
  const best: SfResult[] = levels.map((l) => ({ level: l.level, fired: false, counters: psNew() }));
  const bumpConn = (c: PsCounters, windowS: number, ev: NetEvent, other: string, port: number): void => {
    const t = ev.ts / 1e6;
    if (t > c.window) { Object.assign(c, psNew()); c.window = t + windowS; }
    c.conn++;
    if (c.lastIp !== other) { c.uIps++; c.lastIp = other; }
    if (c.lastPort !== port) { c.uPorts++; c.lastPort = port; }
    if (c.packets.length < 12) c.packets.push(ev);
  };
  for (const ev of events) {
    if (ev.kind !== 'packet' || ev.src === undefined || ev.dst === undefined) continue;
    const fromUs = isUs(ev.src);
    const them = fromUs ? ev.dst : ev.src;
    const us = fromUs ? ev.src : ev.dst;
    let action = SKIP;
    if (ev.proto === IPPROTO_TCP && ev.dport !== undefined) {
      const f = ev.tcpFlags ?? 0;
      if ((f & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) {
        establish(IPPROTO_TCP, ev.src, ev.sport, ev.dst, ev.dport);
        establish(IPPROTO_TCP, ev.dst, ev.dport, ev.src, ev.sport);
        if (!fromUs) action = COMPLETED;
      } else if (fromUs && (f & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN) action = ATTEMPT;
      else if (!fromUs && f & TCP_RST && !est.has(IPPROTO_TCP, ev.src, ev.sport, ev.dst, ev.dport)) action = ERROR;
    } else if (ev.proto === IPPROTO_UDP && ev.dport !== undefined) {
      const answered = est.has(IPPROTO_UDP, ev.dst, ev.dport, ev.src, ev.sport);
      if (fromUs && !answered) { establish(IPPROTO_UDP, ev.src, ev.sport, ev.dst, ev.dport); action = ATTEMPT; }
      else if (!fromUs && answered) action = COMPLETED;
    } else if (ev.proto === IPPROTO_ICMP && ev.icmp?.type === 3 && !fromUs) action = ERROR;
    if (action === SKIP) continue;
    // Snort keys its trackers by protocol too (PS_HASH_KEY); an ICMP unreachable counts for the protocol it quotes.
    const proto = ev.proto === IPPROTO_ICMP ? ev.icmp?.quoted?.proto ?? IPPROTO_UDP : ev.proto;
    const ones = get(scanned, proto ?? NO_PROTO, them);
    const manys = get(scanner, proto ?? NO_PROTO, us);
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i], one = ones[i], many = manys[i];
      if (action === COMPLETED) { one.conn = Math.max(0, one.conn - 1); many.conn = Math.max(0, many.conn - 1); continue; }
      if (action === ATTEMPT) {
        bumpConn(one, level.windowS, ev, us, ev.dport!);
        bumpConn(many, level.windowS, ev, them, ev.dport!);
      } else {
        one.pri++; many.pri++;
        if (one.packets.length < 12) one.packets.push(ev);
      }
      const conf = proto === IPPROTO_UDP ? level.udp : level.tcp;
      const a1 = alertOf(one, conf, 'scan', proto);
      const a2 = a1 ? undefined : alertOf(many, level.sweep, 'sweep', proto);
      const b = best[i];
      if ((a1 || a2) && !b.fired) {
        best[i] = { level: level.level, fired: true, alert: a1 ?? a2, ts: ev.ts, counters: { ...(a1 ? one : many), packets: [...(a1 ? one : many).packets] }, target: a1 ? them : undefined };
      } else if (!b.fired && (one.uPorts > b.counters.uPorts || (one.uPorts === b.counters.uPorts && one.pri > b.counters.pri))) {
        best[i] = { level: level.level, fired: false, counters: { ...one, packets: [...one.packets] }, target: them };
      }
    }
  }
  return best;
}
