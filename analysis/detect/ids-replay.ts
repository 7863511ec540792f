import {
  IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_RST, TCP_SYN, type NetEvent,
} from '../events/event';
import type { DetectContext, Detector, Finding } from './detector';
import { ref } from './excerpt';
import { seconds, subjectTest, tupleKey, reverseKey } from './common';

/**
 * What the complainant's sensor would have counted on OUR packets toward
 * THEIR addresses. "Their scanlogd could not have fired on anything we sent"
 * and "their Snort fired because of our replies" are both answers a network
 * engineer can check, so each sensor's rules are replayed as written in its
 * source, with the packets that make up the count.
 *
 * Leaning 'context': whether a sensor fires says why the complaint was written,
 * not whether we are compromised. Strength says how firmly the replay settles it.
 */

// ---------------------------------------------------------------- scanlogd
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
const SCANLOGD_DELAY_US = 3_000_000;
const SCANLOGD_THRESHOLD = 21;
const SCANLOGD_MAX_PORTS = 20;
const scanlogdWeight = (port: number): number => (port < 1024 ? 3 : 1);

interface ScanlogdResult {
  fired: boolean;
  weight: number;
  ports: number[];
  packets: NetEvent[];
  windowStart?: number;
  alarmTs?: number;
  ignoredAck: number;
  considered: number;
}

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
      if (entry.weight >= SCANLOGD_THRESHOLD) continue;
      entry.weight += scanlogdWeight(port);
      entry.packets.push(ev);
      if (entry.weight >= SCANLOGD_THRESHOLD) {
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

// ---------------------------------------------------------------- Snort sfPortscan
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
const SF_LEVELS: Array<{ level: 'low' | 'medium' | 'high'; windowS: number; tcp: PsConf; sweep: PsConf; udp: PsConf }> = [
  { level: 'low', windowS: 60, tcp: { conn: 0, pri: 5, ips: 25, ports: 5 }, sweep: { conn: 0, pri: 5, ips: 5, ports: 15 }, udp: { conn: 0, pri: 5, ips: 25, ports: 5 } },
  { level: 'medium', windowS: 90, tcp: { conn: 200, pri: 10, ips: 60, ports: 15 }, sweep: { conn: 30, pri: 7, ips: 7, ports: 10 }, udp: { conn: 200, pri: 10, ips: 60, ports: 15 } },
  { level: 'high', windowS: 600, tcp: { conn: 200, pri: 5, ips: 100, ports: 10 }, sweep: { conn: 30, pri: 3, ips: 3, ports: 10 }, udp: { conn: 200, pri: 3, ips: 100, ports: 10 } },
];

interface PsCounters { window: number; conn: number; pri: number; uPorts: number; lastPort: number; uIps: number; lastIp: string; packets: NetEvent[] }
const psNew = (): PsCounters => ({ window: -1, conn: 0, pri: 0, uPorts: 0, lastPort: -1, uIps: 0, lastIp: '', packets: [] });

interface SfResult { level: string; fired: boolean; alert?: string; ts?: number; counters: PsCounters; target?: string }

/**
 * Replays one sense level over our packets toward them and their answers,
 * both trackers: per scanned host (one-to-one) and per scanner (sweep).
 */
function replaySf(events: NetEvent[], isUs: (a: string | undefined) => boolean, level: (typeof SF_LEVELS)[number]): SfResult {
  const scanned = new Map<string, PsCounters>();
  const scanner = new Map<string, PsCounters>();
  const get = (m: Map<string, PsCounters>, k: string): PsCounters => { let c = m.get(k); if (!c) { c = psNew(); m.set(k, c); } return c; };
  const est = new Set<string>();
  let best: SfResult = { level: level.level, fired: false, counters: psNew() };
  const bumpConn = (c: PsCounters, ev: NetEvent, other: string, port: number): void => {
    const t = ev.ts / 1e6;
    if (t > c.window) { Object.assign(c, psNew()); c.window = t + level.windowS; }
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
    // Snort keys its trackers by protocol too (PS_HASH_KEY); an ICMP unreachable counts for the protocol it quotes.
    const proto = ev.proto === IPPROTO_ICMP ? ev.icmp?.quoted?.proto ?? IPPROTO_UDP : ev.proto;
    const one = get(scanned, `${proto}|${them}`);
    const many = get(scanner, `${proto}|${us}`);
    const conf = proto === IPPROTO_UDP ? level.udp : level.tcp;
    if (ev.proto === IPPROTO_TCP && ev.dport !== undefined) {
      const f = ev.tcpFlags ?? 0;
      if ((f & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) {
        est.add(tupleKey(ev)); est.add(reverseKey(ev));
        if (!fromUs) { one.conn = Math.max(0, one.conn - 1); many.conn = Math.max(0, many.conn - 1); }
        continue;
      }
      if (fromUs && (f & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN) {
        bumpConn(one, ev, us, ev.dport);
        bumpConn(many, ev, them, ev.dport);
      } else if (!fromUs && f & TCP_RST && !est.has(tupleKey(ev))) {
        one.pri++; many.pri++;
        if (one.packets.length < 12) one.packets.push(ev);
      } else continue;
    } else if (ev.proto === IPPROTO_UDP && ev.dport !== undefined) {
      const k = tupleKey(ev);
      if (fromUs && !est.has(reverseKey(ev))) { est.add(k); bumpConn(one, ev, us, ev.dport); bumpConn(many, ev, them, ev.dport); }
      else if (!fromUs && est.has(reverseKey(ev))) { one.conn = Math.max(0, one.conn - 1); many.conn = Math.max(0, many.conn - 1); continue; }
      else continue;
    } else if (ev.proto === IPPROTO_ICMP && ev.icmp?.type === 3 && !fromUs) {
      one.pri++; many.pri++;
      if (one.packets.length < 12) one.packets.push(ev);
    } else continue;

    const check = (c: PsCounters, cf: PsConf, kind: 'scan' | 'sweep'): string | undefined => {
      const shape = kind === 'scan' ? c.uIps < cf.ips && c.uPorts >= cf.ports : c.uIps >= cf.ips && c.uPorts <= cf.ports;
      if (!shape) return undefined;
      const label = proto === IPPROTO_UDP ? 'UDP' : 'TCP';
      const name = kind === 'scan' ? 'Portscan' : 'Portsweep';
      if (c.pri >= cf.pri) return `${label} ${name}`;
      // A connection count of 0 (sense level low) switches the filtered alert off, as in portscan.c.
      if (cf.conn !== 0 && c.conn >= cf.conn) return `${label} Filtered ${name}`;
      return undefined;
    };
    const a1 = check(one, conf, 'scan');
    const a2 = a1 ? undefined : check(many, level.sweep, 'sweep');
    if ((a1 || a2) && !best.fired) {
      best = { level: level.level, fired: true, alert: a1 ?? a2, ts: ev.ts, counters: { ...(a1 ? one : many), packets: [...(a1 ? one : many).packets] }, target: a1 ? them : undefined };
    } else if (!best.fired && (one.uPorts > best.counters.uPorts || (one.uPorts === best.counters.uPorts && one.pri > best.counters.pri))) {
      best = { level: level.level, fired: false, counters: { ...one, packets: [...one.packets] }, target: them };
    }
  }
  return best;
}

// ---------------------------------------------------------------- Zeek scan.zeek
/**
 * Zeek policy/misc/scan.zeek: counts FAILED TCP connections per scanner in
 * SumStats epochs: Port_Scan when one victim's unique failed ports reach
 * port_scan_threshold = 15 in port_scan_interval = 5 min; Address_Scan when one
 * port's unique failed victims reach addr_scan_threshold = 25 in addr_scan_interval = 5 min.
 * Failed (is_failed_conn / connection_attempt / connection_rejected): the
 * originator's SYN got RST or nothing (Sr, S0), or it reset a half-open
 * handshake without data (ShR). Reverse failed: the originator is the other
 * side and sent an unanswered SYN-ACK ("H" in the history): Zeek then names
 * the RESPONDER as scanner (a SYN-ACK it did not ask for means it was spoofed or scanned).
 * We replay with a sliding 5-minute window, the most favourable alignment for
 * them: if it cannot fire sliding, it could not have fired in any epoch.
 */
const ZEEK_PORT_THRESHOLD = 15;
const ZEEK_ADDR_THRESHOLD = 25;
const ZEEK_INTERVAL_US = 300_000_000;

interface ZeekAttempt { ts: number; victim: string; port: number; ev: NetEvent }

export function zeekFailedAttempts(events: NetEvent[], isUs: (a: string | undefined) => boolean): ZeekAttempt[] {
  interface T { first: NetEvent; origUs: boolean; origFlags: number; respFlags: number; data: boolean }
  const tuples = new Map<string, T>();
  for (const ev of events) {
    if (ev.kind !== 'packet' || ev.proto !== IPPROTO_TCP || ev.src === undefined || ev.dport === undefined) continue;
    const k = tupleKey(ev);
    let t = tuples.get(k);
    let fromOrig = true;
    if (!t) { t = tuples.get(reverseKey(ev)); fromOrig = false; }
    if (!t) { t = { first: ev, origUs: isUs(ev.src), origFlags: 0, respFlags: 0, data: false }; tuples.set(k, t); fromOrig = true; }
    if (fromOrig) t.origFlags |= ev.tcpFlags ?? 0; else t.respFlags |= ev.tcpFlags ?? 0;
    if ((ev.payloadLength ?? 0) > 0) t.data = true;
  }
  const out: ZeekAttempt[] = [];
  for (const t of tuples.values()) {
    if (t.data) continue;
    const f = t.first;
    const oSyn = (t.origFlags & TCP_SYN) !== 0 && (f.tcpFlags! & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    const rSynAck = (t.respFlags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
    if (t.origUs && oSyn) {
      const failed = !rSynAck || (t.origFlags & TCP_RST) !== 0;
      if (failed) out.push({ ts: f.ts, victim: f.dst!, port: f.dport!, ev: f });
    } else if (!t.origUs && (f.tcpFlags! & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) && !(t.respFlags & TCP_SYN)) {
      // Their unanswered (or reset) SYN-ACK: Zeek's reverse scan names us, on their port.
      out.push({ ts: f.ts, victim: f.src!, port: f.sport!, ev: f });
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** Largest number of distinct keys within any sliding window, and the attempts of that window. */
function slidingMax(items: ZeekAttempt[], key: (a: ZeekAttempt) => string | number): { max: number; window: ZeekAttempt[] } {
  let best = { max: 0, window: [] as ZeekAttempt[] };
  const counts = new Map<string | number, number>();
  let lo = 0;
  for (let hi = 0; hi < items.length; hi++) {
    const k = key(items[hi]);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    while (items[hi].ts - items[lo].ts > ZEEK_INTERVAL_US) {
      const kl = key(items[lo]);
      const n = counts.get(kl)! - 1;
      if (n === 0) counts.delete(kl); else counts.set(kl, n);
      lo++;
    }
    if (counts.size > best.max) best = { max: counts.size, window: items.slice(lo, hi + 1) };
  }
  return best;
}

/** First attempt of each distinct key in a window: "the packets that make up the count". */
function distinctFirst(items: ZeekAttempt[], key: (a: ZeekAttempt) => string | number): ZeekAttempt[] {
  const seen = new Set<string | number>();
  return items.filter((a) => { const k = key(a); if (seen.has(k)) return false; seen.add(k); return true; });
}

// ---------------------------------------------------------------- naive counters
/**
 * Not every sensor reads flags. Home-grown scripts, firewall "port scan"
 * features and flow-based tools count distinct destination ports of ANY
 * packets. We report what such a counter would see on our packets with
 * scanlogd's own pacing (new ports at most 3 s apart) and weights, so the
 * reply can say: "your sensor counted our server's replies to N client ports".
 */
function naiveChain(packets: NetEvent[]): { ports: number; weight: number; packets: NetEvent[]; target?: string; start?: number; end?: number } {
  const byTarget = new Map<string, NetEvent[]>();
  for (const ev of packets) {
    if (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP) continue;
    if (ev.dport === undefined) continue;
    const l = byTarget.get(ev.dst!) ?? [];
    l.push(ev);
    byTarget.set(ev.dst!, l);
  }
  let best: { ports: number; weight: number; packets: NetEvent[]; target?: string; start?: number; end?: number } = { ports: 0, weight: 0, packets: [] };
  let bestLen = 0;
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
      if (weight > best.weight) { best = { ports: seen.size, weight, packets: chain, target, start: chain[0].ts, end: ev.ts }; bestLen = chain.length; }
    }
  }
  return { ...best, packets: best.packets.slice(0, bestLen) };
}

// ---------------------------------------------------------------- detector
function refsOf(evs: NetEvent[], max = 12): ReturnType<typeof ref>[] {
  // The first packets make up the count: quote them in order, then the last one.
  if (evs.length <= max) return evs.map(ref);
  return [...evs.slice(0, max - 1), evs[evs.length - 1]].map(ref);
}

export const idsReplay: Detector = {
  id: 'ids-replay',
  detect(ctx: DetectContext): Finding[] {
    const isUs = subjectTest(ctx);
    const targets = new Set(ctx.targets);
    const theirs = (a: string | undefined): boolean => a !== undefined && (targets.size === 0 ? !isUs(a) : targets.has(a));
    // Their sensor sits in front of their addresses: it sees what goes between us and them.
    const between = ctx.events.filter((e) => e.kind === 'packet' && ((isUs(e.src) && theirs(e.dst)) || (theirs(e.src) && isUs(e.dst))));
    const ours = between.filter((e) => isUs(e.src));
    // Without any captured packet there is nothing to replay: "could not have fired" would be empty words.
    if (!ctx.events.some((e) => e.kind === 'packet')) return [];
    const claimed = (ctx.complaint.sensor ?? '').toLowerCase();
    const claimedCount = ctx.complaint.claimedCount;
    const findings: Finding[] = [];
    const noTraffic = ours.length === 0;
    const str = (fired: boolean, isClaimed: boolean): number => (noTraffic ? 0.4 : fired ? 0.7 : 0.6) + (isClaimed ? 0.1 : 0);
    const base = { detector: 'ids-replay', leaning: 'context' as const };
    const towardText = targets.size ? `toward ${[...targets].slice(0, 3).join(', ')}` : 'toward other hosts';

    // scanlogd: per source address, so each of our addresses separately.
    const bySrc = new Map<string, NetEvent[]>();
    for (const e of ours) { const l = bySrc.get(e.src!) ?? []; l.push(e); bySrc.set(e.src!, l); }
    const srcs = bySrc.size ? [...bySrc.keys()] : ctx.accused.slice(0, 1);
    for (const src of srcs) {
      const pk = bySrc.get(src) ?? [];
      const r = replayScanlogd(pk);
      const tcpCount = pk.filter((e) => e.proto === IPPROTO_TCP).length;
      const isClaimed = claimed.includes('scanlogd');
      findings.push({
        ...base, id: 'ids-replay-scanlogd', strength: str(r.fired, isClaimed),
        summary: r.fired
          ? `scanlogd would have fired on ${src}: ${r.ports.length} new ports (weight ${r.weight} >= ${SCANLOGD_THRESHOLD}), each within 3 s of the previous, in ${seconds(r.windowStart!, r.alarmTs!)} s.`
          : `scanlogd could not have fired on our packets from ${src} ${towardText}: the highest weight reached is ${r.weight} of ${SCANLOGD_THRESHOLD}`
            + (r.ignoredAck ? `; ${r.ignoredAck} of our ${tcpCount} TCP packets had ACK set (replies), which scanlogd ignores.` : '.'),
        explanation: 'scanlogd (scanlogd.c) counts, per source address, TCP packets to new destination ports arriving at most 3 s apart: ports below 1024 weigh 3, '
          + 'others 1, and it logs at weight 21. It ignores a packet to a new port when ACK or RST is set, and never starts tracking a source on an ACK, '
          + 'so a server\'s replies (SYN-ACK, data, FIN-ACK) can never make it fire.',
        evidence: refsOf(r.packets),
        facts: {
          sensor: 'scanlogd', source: src, wouldFire: r.fired, weight: r.weight, threshold: SCANLOGD_THRESHOLD, ports: r.ports,
          portCount: r.ports.length, windowSeconds: r.windowStart !== undefined ? seconds(r.windowStart, r.alarmTs!) : 0,
          tcpPackets: tcpCount, ignoredWithAck: r.ignoredAck, claimedSensor: isClaimed, ...(claimedCount !== undefined ? { claimedCount } : {}),
        },
      });
    }

    // Snort sfPortscan, all three sense levels (the complainant rarely says which).
    const sf = SF_LEVELS.map((l) => replaySf(between, isUs, l));
    const firedLevels = sf.filter((r) => r.fired);
    const shown = firedLevels[0] ?? sf.reduce((a, b) => (b.counters.uPorts > a.counters.uPorts ? b : a));
    const sfClaimed = /snort|ipcop|sfportscan|portscan/.test(claimed);
    findings.push({
      ...base, id: 'ids-replay-sfportscan', strength: str(firedLevels.length > 0, sfClaimed),
      summary: firedLevels.length
        ? `Snort sfPortscan would have raised "${shown.alert}" at sense level ${firedLevels.map((r) => r.level).join('/')} on our traffic`
          + `${shown.target ? ` to ${shown.target}` : ''}: ${shown.counters.uPorts} port changes, ${shown.counters.conn} open attempts, ${shown.counters.pri} RST/unreachable answers.`
        : `Snort sfPortscan could not have fired on our packets ${towardText} at any sense level: at most ${shown.counters.uPorts} port changes among connection attempts `
          + `and ${shown.counters.pri} error answers (low needs 5 and 5, medium 15 ports with 10 errors or 200 attempts, high 10 ports with 5 errors or 200 attempts).`,
      explanation: 'sfPortscan (Snort 2.9 portscan.c) counts connection attempts (client SYNs, not the server\'s replies), the target\'s RST and ICMP-unreachable '
        + 'answers, and how often the destination port changes, per scanned host within 60 s (low), 90 s (medium) or 600 s (high).',
      evidence: refsOf(shown.counters.packets),
      facts: {
        sensor: 'snort-sfportscan', wouldFire: firedLevels.length > 0, levelsFiring: firedLevels.map((r) => r.level),
        alert: shown.alert ?? '', portChanges: shown.counters.uPorts, connectionAttempts: shown.counters.conn, errorAnswers: shown.counters.pri,
        windowSeconds: SF_LEVELS.find((l) => l.level === shown.level)!.windowS, claimedSensor: sfClaimed,
      },
    });

    // Zeek scan.zeek: failed connections where we are the scanner.
    const attempts = zeekFailedAttempts(between, isUs);
    const byVictim = new Map<string, ZeekAttempt[]>();
    const byPort = new Map<number, ZeekAttempt[]>();
    for (const a of attempts) {
      (byVictim.get(a.victim) ?? byVictim.set(a.victim, []).get(a.victim)!).push(a);
      (byPort.get(a.port) ?? byPort.set(a.port, []).get(a.port)!).push(a);
    }
    let portScan = { max: 0, window: [] as ZeekAttempt[], victim: '' };
    for (const [victim, list] of byVictim) { const r = slidingMax(list, (a) => a.port); if (r.max > portScan.max) portScan = { ...r, victim }; }
    let addrScan = { max: 0, window: [] as ZeekAttempt[], port: 0 };
    for (const [port, list] of byPort) { const r = slidingMax(list, (a) => a.victim); if (r.max > addrScan.max) addrScan = { ...r, port }; }
    const zPort = portScan.max >= ZEEK_PORT_THRESHOLD;
    const zAddr = addrScan.max >= ZEEK_ADDR_THRESHOLD;
    const zFired = zPort || zAddr;
    const zWindow = zPort || !zAddr ? distinctFirst(portScan.window, (a) => a.port) : distinctFirst(addrScan.window, (a) => a.victim);
    findings.push({
      ...base, id: 'ids-replay-zeek-scan', strength: str(zFired, /zeek|bro/.test(claimed)),
      summary: zFired
        ? `Zeek's scan.zeek would have raised ${zPort ? `Port_Scan (${portScan.max} failed ports on ${portScan.victim})` : `Address_Scan (${addrScan.max} hosts on port ${addrScan.port})`} within 5 minutes.`
        : `Zeek's scan.zeek could not have fired on our traffic ${towardText}: at most ${portScan.max} failed ports on one host (needs ${ZEEK_PORT_THRESHOLD}) `
          + `and ${addrScan.max} hosts on one port (needs ${ZEEK_ADDR_THRESHOLD}) in 5 minutes.`,
      explanation: 'scan.zeek counts only failed TCP connections (refused, unanswered, or reset before any data): completed sessions never count.',
      evidence: refsOf(zWindow.map((a) => a.ev)),
      facts: {
        sensor: 'zeek-scan', wouldFire: zFired, failedConnections: attempts.length, maxFailedPortsOneHost: portScan.max,
        maxFailedHostsOnePort: addrScan.max, portThreshold: ZEEK_PORT_THRESHOLD, addrThreshold: ZEEK_ADDR_THRESHOLD, intervalSeconds: 300,
      },
    });

    // A flag-blind counter, for "your sensor counted our replies".
    const naive = naiveChain(ours);
    if (naive.ports > 0) {
      const acks = naive.packets.filter((e) => (e.tcpFlags ?? 0) & TCP_ACK).length;
      const over = naive.weight >= SCANLOGD_THRESHOLD;
      findings.push({
        ...base, id: 'ids-replay-port-count', strength: over ? 0.5 : 0.3,
        summary: `A sensor that counts any packet, replies included, saw ${naive.ports} different destination ports of ${naive.target} from us`
          + ` within ${seconds(naive.start!, naive.end!)} s, each new port within 3 s of the previous (weight ${naive.weight}${over ? ` >= ${SCANLOGD_THRESHOLD}` : ''})`
          + (acks ? `; ${acks} of these ${naive.packets.length} packets are replies with ACK set.` : '.'),
        explanation: 'This is what scanlogd-like pacing gives when flags are ignored. Our server answering many clients behind one NAT address, each from its '
          + 'own source port, produces exactly this; scanlogd itself, and Snort\'s sfPortscan, do not count replies.',
        evidence: refsOf(naive.packets),
        facts: {
          sensor: 'flag-blind counter', target: naive.target!, distinctPorts: naive.ports, weight: naive.weight, threshold: SCANLOGD_THRESHOLD,
          exceedsScanlogdWeight: over, replyPackets: acks, windowSeconds: seconds(naive.start!, naive.end!),
          ...(claimedCount !== undefined ? { claimedCount } : {}),
        },
      });
    }
    return findings;
  },
};
