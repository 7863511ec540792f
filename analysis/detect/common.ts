import { IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_RST, TCP_SYN, type NetEvent } from '../events/event';
import type { DetectContext } from './detector';

/**
 * Which addresses a detector speaks for. The accused addresses are the
 * subject of the complaint; when the caller gave none we fall back to our
 * networks, so a capture of "our" LAN still gets analysed.
 */
export function subjectTest(ctx: DetectContext): (addr: string | undefined) => boolean {
  const accused = new Set(ctx.accused);
  if (accused.size > 0) return (a) => a !== undefined && accused.has(a);
  return (a) => a !== undefined && ctx.isOurs(a);
}

/** True when `addr` is one of the complainant's addresses, or when no targets were named. */
export function targetTest(ctx: DetectContext): (addr: string | undefined) => boolean {
  const targets = new Set(ctx.targets);
  if (targets.size === 0) return () => true;
  return (a) => a !== undefined && targets.has(a);
}

export const isTcp = (ev: NetEvent): boolean => ev.proto === IPPROTO_TCP;
export const isUdp = (ev: NetEvent): boolean => ev.proto === IPPROTO_UDP;

/** A packet (not a flow summary or a log line) with addresses. */
export function isPacket(ev: NetEvent): ev is NetEvent & { src: string; dst: string } {
  return ev.kind === 'packet' && ev.src !== undefined && ev.dst !== undefined;
}

/** Direction-independent 5-tuple key, and the directed one. */
export function tupleKey(ev: NetEvent): string {
  return `${ev.proto}|${ev.src}|${ev.sport ?? ''}|${ev.dst}|${ev.dport ?? ''}`;
}
export function reverseKey(ev: NetEvent): string {
  return `${ev.proto}|${ev.dst}|${ev.dport ?? ''}|${ev.src}|${ev.sport ?? ''}`;
}

/** Seconds between two event times, for facts. Rounded to the millisecond. */
export function seconds(fromUs: number, toUs: number): number {
  return Math.round((toUs - fromUs) / 1000) / 1000;
}

/** Events per second over a span; a lone event has no rate. */
export function rate(count: number, fromUs: number, toUs: number): number {
  const s = (toUs - fromUs) / 1e6;
  if (s <= 0) return count;
  return Math.round((count / s) * 100) / 100;
}

/** "22, 23, 25, ... (137 ports)" without flooding the reply. */
export function listSome(values: readonly (number | string)[], max = 20): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown}, ... (${values.length} in all)` : shown;
}

/** Ascending numeric sort, copying. */
export function sortedNums(values: Iterable<number>): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Clamp a strength to 0..1 with two decimals. */
export function strength(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 100) / 100;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Looks like a broadcast address: limited broadcast, or an IPv4 address
 * ending in .255 (the directed broadcast of any /24 or shorter prefix: we do
 * not know the complainant's mask, so this is stated as "looks like").
 */
export function looksBroadcast(addr: string): boolean {
  return addr === '255.255.255.255' || /^\d+\.\d+\.\d+\.255$/.test(addr);
}

/** A SYN without ACK: a connection attempt. */
export function isSyn(ev: NetEvent): boolean {
  return ev.tcpFlags !== undefined && (ev.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
}

export function isSynAck(ev: NetEvent): boolean {
  return ev.tcpFlags !== undefined && (ev.tcpFlags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
}

export function isRst(ev: NetEvent): boolean {
  return ev.tcpFlags !== undefined && (ev.tcpFlags & TCP_RST) !== 0;
}

/** Key of a directed TCP/UDP endpoint pair. */
export function pairKey(src: string, sport: number | undefined, dst: string, dport: number | undefined): string {
  return `${src}|${sport}|${dst}|${dport}`;
}

export function distinct<T>(values: Iterable<T>): number {
  return new Set(values).size;
}

/** Most common value and its share of the list. */
export function mode<T>(values: T[]): { value: T | undefined; share: number } {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN) { best = v; bestN = n; }
  }
  return { value: best, share: values.length ? bestN / values.length : 0 };
}
