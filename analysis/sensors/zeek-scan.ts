import { IPPROTO_TCP, TCP_ACK, TCP_RST, TCP_SYN, type NetEvent } from '../events/event';
import { TupleMap } from '../detect/tuple-map';
import type { SensorAlarm } from './alarm';

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
export const ZEEK_PORT_THRESHOLD = 15;
export const ZEEK_ADDR_THRESHOLD = 25;
export const ZEEK_INTERVAL_S = 300;
const ZEEK_INTERVAL_US = ZEEK_INTERVAL_S * 1e6;

export const ZEEK_ALARMS: SensorAlarm[] = [
  { sensor: 'zeek', count: ZEEK_PORT_THRESHOLD, unit: 'ports', rule: 'scan.zeek port_scan_threshold, failed ports of one host', windowS: ZEEK_INTERVAL_S },
  { sensor: 'zeek', count: ZEEK_ADDR_THRESHOLD, unit: 'hosts', rule: 'scan.zeek addr_scan_threshold, hosts failing on one port', windowS: ZEEK_INTERVAL_S },
];

/** Its thresholds in one sentence, for the first look. */
export const ZEEK_THRESHOLD_TEXT = `Zeek scan.zeek counts only failed TCP connections: Port_Scan at ${ZEEK_PORT_THRESHOLD} ports of one host, `
  + `Address_Scan at one port on ${ZEEK_ADDR_THRESHOLD} hosts, within ${ZEEK_INTERVAL_S / 60} minutes; completed sessions never count`;

/** What it counts, for the replay's finding. */
export const ZEEK_EXPLANATION = 'scan.zeek counts only failed TCP connections (refused, unanswered, or reset before any data): completed sessions never count.';

/** conn.log states of a connection scan.zeek counts as failed (as the quoted lines give them). */
export const ZEEK_FAILED_STATES: ReadonlySet<string> = new Set(['S0', 'REJ', 'RSTO', 'RSTOS0', 'RSTR', 'RSTRH', 'SH', 'SHR', 'OTH']);

export interface ZeekAttempt { ts: number; victim: string; port: number; ev: NetEvent }

/** Our failed connections (and their unanswered SYN-ACKs, which name us) as scan.zeek would log them, in time order. */
export function zeekFailedAttempts(events: NetEvent[], isUs: (a: string | undefined) => boolean): ZeekAttempt[] {
  interface T { first: NetEvent; origUs: boolean; origFlags: number; respFlags: number; data: boolean }
  const tuples = new TupleMap<T>();
  for (const ev of events) {
    if (ev.kind !== 'packet' || ev.proto !== IPPROTO_TCP || ev.src === undefined || ev.dst === undefined || ev.dport === undefined) continue;
    let t = tuples.get(IPPROTO_TCP, ev.src, ev.sport, ev.dst, ev.dport);
    let fromOrig = true;
    if (!t) { t = tuples.get(IPPROTO_TCP, ev.dst, ev.dport, ev.src, ev.sport); fromOrig = false; }
    if (!t) {
      t = { first: ev, origUs: isUs(ev.src), origFlags: 0, respFlags: 0, data: false };
      tuples.add(IPPROTO_TCP, ev.src, ev.sport, ev.dst, ev.dport, t);
      fromOrig = true;
    }
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
export function slidingMax(items: ZeekAttempt[], key: (a: ZeekAttempt) => string | number): { max: number; window: ZeekAttempt[] } {
  // The best window is kept as bounds and cut once at the end: cutting it at
  // every new maximum copied a growing window per attempt, quadratic on a scan.
  let max = 0;
  let bestLo = 0;
  let bestHi = -1;
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
    if (counts.size > max) { max = counts.size; bestLo = lo; bestHi = hi; }
  }
  return { max, window: items.slice(bestLo, bestHi + 1) };
}

/** First attempt of each distinct key in a window: "the packets that make up the count". */
export function distinctFirst(items: ZeekAttempt[], key: (a: ZeekAttempt) => string | number): ZeekAttempt[] {
  const seen = new Set<string | number>();
  return items.filter((a) => { const k = key(a); if (seen.has(k)) return false; seen.add(k); return true; });
}

/**
 * Address_Scan's count: the port with the most distinct victims in a sliding
 * window, the first such port (in the order of first attempts) on a tie.
 * A vertical scan makes one attempt per port: a port with one attempt has one
 * victim and needs no window, so attempts are counted per port in a typed
 * array and only ports with more get a list (a map of 60,000 one-attempt
 * lists was a third of the replay).
 */
function busiestPort(attempts: ZeekAttempt[]): { max: number; window: ZeekAttempt[]; port: number } {
  // A port outside 0-65535 (no reader gives one, but the replay takes any events) is counted in a map instead.
  const valid = (p: number): boolean => Number.isInteger(p) && p >= 0 && p <= 0xffff;
  const perPort = new Int32Array(0x10000);
  const oddPorts = new Map<number, number>();
  for (const a of attempts) {
    if (valid(a.port)) perPort[a.port]++;
    else oddPorts.set(a.port, (oddPorts.get(a.port) ?? 0) + 1);
  }
  const attemptsOn = (p: number): number => (valid(p) ? perPort[p] : oddPorts.get(p) ?? 0);
  const lists = new Map<number, ZeekAttempt[]>();
  for (const a of attempts) {
    if (attemptsOn(a.port) > 1) (lists.get(a.port) ?? lists.set(a.port, []).get(a.port)!).push(a);
  }
  let best = { max: 0, window: [] as ZeekAttempt[], port: 0 };
  const done = new Set<number>();
  for (const a of attempts) {
    const n = attemptsOn(a.port);
    if (n <= best.max || done.has(a.port)) continue;
    done.add(a.port);
    const r = n === 1 ? { max: 1, window: [a] } : slidingMax(lists.get(a.port)!, (x) => x.victim);
    if (r.max > best.max) best = { ...r, port: a.port };
  }
  return best;
}

export interface ZeekScanResult {
  attempts: ZeekAttempt[];
  /** Most failed ports on one victim in 5 minutes. */
  portScan: { max: number; window: ZeekAttempt[]; victim: string };
  /** Most failed victims on one port in 5 minutes. */
  addrScan: { max: number; window: ZeekAttempt[]; port: number };
  portFired: boolean;
  addrFired: boolean;
  /** The attempts that make up the count shown (Port_Scan's unless only Address_Scan fired). */
  counted: ZeekAttempt[];
}

/** scan.zeek over the packets between us and them: both notices, and the attempts behind them. */
export function replayZeekScan(events: NetEvent[], isUs: (a: string | undefined) => boolean): ZeekScanResult {
  const attempts = zeekFailedAttempts(events, isUs);
  const byVictim = new Map<string, ZeekAttempt[]>();
  for (const a of attempts) (byVictim.get(a.victim) ?? byVictim.set(a.victim, []).get(a.victim)!).push(a);
  // A list can hold no more distinct keys than attempts: one no longer than the best so far cannot beat it
  // (a vertical scan makes one list per port, each of one attempt).
  let portScan = { max: 0, window: [] as ZeekAttempt[], victim: '' };
  for (const [victim, list] of byVictim) {
    if (list.length <= portScan.max) continue;
    const r = slidingMax(list, (a) => a.port);
    if (r.max > portScan.max) portScan = { ...r, victim };
  }
  const addrScan = busiestPort(attempts);
  const portFired = portScan.max >= ZEEK_PORT_THRESHOLD;
  const addrFired = addrScan.max >= ZEEK_ADDR_THRESHOLD;
  const counted = portFired || !addrFired ? distinctFirst(portScan.window, (a) => a.port) : distinctFirst(addrScan.window, (a) => a.victim);
  return { attempts, portScan, addrScan, portFired, addrFired, counted };
}
