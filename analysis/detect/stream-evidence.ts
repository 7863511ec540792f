import type { NetEvent } from '../events/event';
import { EvidenceSampler } from './excerpt';
import { DistinctCounter, hash32 } from './sketch/distinct-counter';

/**
 * Evidence for streaming detectors: bounded, independent of the order in
 * which events arrive, and exactly mergeable, so that a finding quotes the
 * same packets whether one accumulator read the capture or two read its halves.
 */

/** Time, then file, then byte offset: the order of one file's events sorted by time. */
export function eventOrder(a: NetEvent, b: NetEvent): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.source.file !== b.source.file) return a.source.file < b.source.file ? -1 : 1;
  return a.source.offset - b.source.offset;
}

/**
 * What a reference to the event needs (addresses, ports, flags, sizes, the
 * flow counters, the log line, where it is in its file) and nothing else:
 * a kept event must not hold its payload or the rest of the record.
 */
export function slim(ev: NetEvent): NetEvent {
  const { src, dst, sport, dport, proto, tcpFlags, payloadLength, ttl } = ev;
  let s: NetEvent;
  if (src !== undefined && dst !== undefined && sport !== undefined && dport !== undefined && proto !== undefined && payloadLength !== undefined && ttl !== undefined) {
    // A TCP or UDP packet, the usual case, made in one literal with the same properties in the same order:
    // added one by one, they outgrew the object's room and V8 moved them to larger storage, twice per
    // event, which was most of what a sweep's first packets cost outbound-scan and brute-force.
    s = tcpFlags !== undefined
      ? { kind: ev.kind, ts: ev.ts, source: ev.source, src, dst, sport, dport, proto, tcpFlags, payloadLength, ttl }
      : { kind: ev.kind, ts: ev.ts, source: ev.source, src, dst, sport, dport, proto, payloadLength, ttl };
  } else {
    s = { kind: ev.kind, ts: ev.ts, source: ev.source };
    if (src !== undefined) s.src = src;
    if (dst !== undefined) s.dst = dst;
    if (sport !== undefined) s.sport = sport;
    if (dport !== undefined) s.dport = dport;
    if (proto !== undefined) s.proto = proto;
    if (tcpFlags !== undefined) s.tcpFlags = tcpFlags;
    if (payloadLength !== undefined) s.payloadLength = payloadLength;
    if (ttl !== undefined) s.ttl = ttl;
  }
  if (ev.fragment !== undefined) s.fragment = ev.fragment;
  if (ev.icmp !== undefined) s.icmp = ev.icmp;
  if (ev.flow !== undefined) s.flow = ev.flow;
  if (ev.message !== undefined) s.message = ev.message;
  if (ev.raw !== undefined) s.raw = ev.raw;
  return s;
}

/** Replays events (in time order) through an EvidenceSampler, as a batch pass over them in time order would have fed it. */
export function replay(events: readonly NetEvent[], firstN = 4, poolSize = 64): EvidenceSampler {
  const s = new EvidenceSampler(firstN, poolSize);
  for (const e of events) s.add(e);
  return s;
}

function placeHash(ev: NetEvent): number {
  return hash32(`${ev.source.file}|${ev.source.offset}`);
}

function byPlaceHash(a: { h: number; ev: NetEvent }, b: { h: number; ev: NetEvent }): number {
  return a.h - b.h || eventOrder(a.ev, b.ev);
}

/**
 * A bounded sample of a stream of events: all of them while there are at
 * most `limit`; past that the earliest limit/2, limit/2 of the others
 * chosen by a hash of their place in their file (so the choice depends on
 * the set of events, not on their order or on how they were split), and the
 * latest. `complete` says whether every event was kept.
 */
export class TimeSample {
  private early: NetEvent[] = [];
  private rest: Array<{ h: number; ev: NetEvent }> = [];
  private latest: NetEvent | undefined;
  count = 0;
  private readonly half: number;

  constructor(private readonly limit = 1024) {
    this.half = Math.max(1, limit >> 1);
  }

  get complete(): boolean {
    return this.count <= this.limit;
  }

  add(ev: NetEvent): void {
    this.count++;
    if (!this.latest || eventOrder(ev, this.latest) > 0) this.latest = ev;
    this.early.push(ev);
    if (this.early.length >= 2 * this.half) this.compact();
  }

  merge(other: TimeSample): void {
    this.count += other.count;
    if (other.latest && (!this.latest || eventOrder(other.latest, this.latest) > 0)) this.latest = other.latest;
    for (const e of other.early) this.early.push(e);
    for (const r of other.rest) this.rest.push(r);
    this.compact();
  }

  /** The kept events in time order. */
  events(): NetEvent[] {
    this.compact();
    const out = [...this.early, ...this.rest.map((r) => r.ev)];
    if (this.latest && !out.includes(this.latest)) out.push(this.latest);
    return out.sort(eventOrder);
  }

  private compact(): void {
    if (this.early.length > this.half) {
      this.early.sort(eventOrder);
      for (const ev of this.early.splice(this.half)) this.rest.push({ h: placeHash(ev), ev });
    }
    const restLimit = this.limit - this.half;
    if (this.rest.length > restLimit) {
      this.rest.sort(byPlaceHash);
      this.rest.length = restLimit;
    }
  }
}

/**
 * The earliest event of each key (a host, a conversation), for at most
 * `limit` keys; events of further keys are counted, their keys in a
 * distinct counter. Below the limit the content does not depend on the order
 * of arrival; past it the keys kept are those that arrived first.
 */
export class FirstPerKey {
  readonly firsts = new Map<string, NetEvent>();
  overflowEvents = 0;
  readonly overflowKeys = new DistinctCounter();

  constructor(private readonly limit: number) {}

  add(key: string, ev: NetEvent): void {
    const cur = this.firsts.get(key);
    if (cur) {
      if (eventOrder(ev, cur) < 0) this.firsts.set(key, slim(ev));
      return;
    }
    if (this.firsts.size < this.limit) { this.firsts.set(key, slim(ev)); return; }
    this.overflowEvents++;
    this.overflowKeys.add(key);
  }

  merge(other: FirstPerKey): void {
    for (const [k, ev] of other.firsts) {
      const cur = this.firsts.get(k);
      if (cur) { if (eventOrder(ev, cur) < 0) this.firsts.set(k, ev); continue; }
      if (this.firsts.size < this.limit) { this.firsts.set(k, ev); continue; }
      this.overflowEvents++;
      this.overflowKeys.add(k);
    }
    this.overflowEvents += other.overflowEvents;
    this.overflowKeys.merge(other.overflowKeys);
  }

  get complete(): boolean {
    return this.overflowEvents === 0;
  }

  /** The kept first events in time order. */
  sorted(): NetEvent[] {
    return [...this.firsts.values()].sort(eventOrder);
  }
}
