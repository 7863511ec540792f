import { TCP_ACK, TCP_RST, TCP_SYN, type NetEvent } from '../events/event';

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

/** Packet-level events only (captures, firewall lines), not flow summaries or alerts. */
export function packets(events: NetEvent[]): NetEvent[] {
  return events.filter((e) => e.kind === 'packet' && e.src !== undefined);
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
