import {
  IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, flagString, flagWords, protoName, type NetEvent,
} from '../events/event';
import type { EvidenceRef } from './detector';

/** At most this many references per finding: enough to prove a pattern, few enough to quote in a mail. */
export const MAX_REFS = 12;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** "2009-01-04 05:15:57.123456" in UTC; replies state the zone once, not per line. */
export function formatTs(ts: number): string {
  const ms = Math.floor(ts / 1000);
  const d = new Date(ms);
  const micros = ((ts % 1_000_000) + 1_000_000) % 1_000_000;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}`;
}

/** IPv6 addresses are bracketed so the port separator stays readable (RFC 5952 §6). */
function endpoint(addr: string | undefined, port: number | undefined): string {
  const a = addr ?? '?';
  const host = a.includes(':') ? `[${a}]` : a;
  return port === undefined ? host : `${host}:${port}`;
}

const ICMP_NAMES: Record<number, string> = {
  0: 'echo reply', 3: 'unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request',
  11: 'time exceeded', 12: 'parameter problem', 13: 'timestamp request', 14: 'timestamp reply',
};
const ICMP6_NAMES: Record<number, string> = {
  1: 'unreachable', 2: 'packet too big', 3: 'time exceeded', 4: 'parameter problem',
  128: 'echo request', 129: 'echo reply', 135: 'neighbor solicitation', 136: 'neighbor advertisement',
};

function packetDetail(ev: NetEvent): string {
  const parts: string[] = [];
  if (ev.proto === IPPROTO_TCP) {
    parts.push(`tcp [${flagString(ev.tcpFlags)}] ${flagWords(ev.tcpFlags)}`.trimEnd());
    parts.push(`len ${ev.payloadLength ?? 0}`);
  } else if (ev.proto === IPPROTO_UDP) {
    parts.push(`udp len ${ev.payloadLength ?? 0}`);
  } else if ((ev.proto === IPPROTO_ICMP || ev.proto === IPPROTO_ICMPV6) && ev.icmp) {
    const names = ev.proto === IPPROTO_ICMP ? ICMP_NAMES : ICMP6_NAMES;
    let s = `${protoName(ev.proto)} ${names[ev.icmp.type] ?? `type ${ev.icmp.type}`} code ${ev.icmp.code}`;
    if (ev.icmp.id !== undefined) s += ` id ${ev.icmp.id}`;
    if (ev.icmp.seq !== undefined) s += ` seq ${ev.icmp.seq}`;
    const q = ev.icmp.quoted;
    if (q) s += ` for ${protoName(q.proto)} ${endpoint(q.src, q.sport)} > ${endpoint(q.dst, q.dport)}`;
    parts.push(s);
  } else {
    parts.push(protoName(ev.proto));
  }
  if (ev.fragment) {
    const f = ev.fragment;
    parts.push(`frag id ${f.id} offset ${f.offset}${f.more ? ' +MF' : ''}`);
  }
  if (ev.ttl !== undefined) parts.push(`ttl ${ev.ttl}`);
  return parts.join(', ');
}

/**
 * One line per record, tcpdump-like, in UTC:
 * "2009-01-04 05:15:57.123456 192.168.1.10:45195 > 192.168.1.25:25 tcp [F] FIN, len 0, ttl 64".
 * Text evidence is quoted as written, so the other side recognises its own log line.
 */
export function excerpt(ev: NetEvent): string {
  const time = formatTs(ev.ts);
  if ((ev.kind === 'log' || ev.kind === 'alert') && ev.raw) return ev.raw.slice(0, 300);
  const flowText = `${endpoint(ev.src, ev.sport)} > ${endpoint(ev.dst, ev.dport)}`;
  if (ev.kind === 'flow' && ev.flow) {
    const f = ev.flow;
    const state = f.state ? ` state ${f.state}` : '';
    const dir = f.direction ? ` ${f.direction}` : '';
    return `${time} flow ${protoName(ev.proto)} ${flowText}${dir} pkts ${f.pktsOut}/${f.pktsIn} bytes ${f.bytesOut}/${f.bytesIn}${state}`;
  }
  if (ev.kind === 'log' || ev.kind === 'alert') return `${time} ${ev.message ?? ''} ${flowText}`.trimEnd();
  return `${time} ${flowText} ${packetDetail(ev)}`;
}

/** An evidence reference to one event, with its excerpt. */
export function ref(ev: NetEvent): EvidenceRef {
  const r: EvidenceRef = { file: ev.source.file, offset: ev.source.offset, excerpt: excerpt(ev), ts: ev.ts };
  if (ev.source.packet !== undefined) r.packet = ev.source.packet;
  if (ev.source.line !== undefined) r.line = ev.source.line;
  return r;
}

/**
 * Representative items: the first, the last and evenly spaced ones between,
 * in their original order. A reply quotes where a pattern starts and ends and
 * shows it held in between; quoting all of a million packets proves nothing more.
 */
export function sample<T>(items: readonly T[], max = MAX_REFS): T[] {
  if (max <= 0) return [];
  if (items.length <= max) return [...items];
  if (max <= 1) return items.length ? [items[0]] : [];
  const out: T[] = [];
  const step = (items.length - 1) / (max - 1);
  let prev = -1;
  for (let i = 0; i < max; i++) {
    const idx = Math.round(i * step);
    if (idx !== prev) out.push(items[idx]);
    prev = idx;
  }
  return out;
}

/** References for a list of supporting events: representative, de-duplicated, in time order. */
export function refs(events: readonly NetEvent[], max = MAX_REFS): EvidenceRef[] {
  return sample(events, max).map(ref);
}

/**
 * Keeps the first `firstN` events plus an evenly spaced reservoir, in one pass
 * and bounded memory, so a detector can build references for a pattern that
 * spans a million packets without holding them all.
 */
export class EvidenceSampler {
  readonly first: NetEvent[] = [];
  private pool: NetEvent[] = [];
  private stride = 1;
  private seen = 0;
  last: NetEvent | undefined;
  count = 0;

  constructor(private readonly firstN = 4, private readonly poolSize = 64) {}

  add(ev: NetEvent): void {
    this.count++;
    this.last = ev;
    if (this.first.length < this.firstN) { this.first.push(ev); return; }
    if (this.seen++ % this.stride === 0) {
      this.pool.push(ev);
      if (this.pool.length >= this.poolSize) {
        // Halve the pool and double the stride: keeps an even spread at any length.
        this.pool = this.pool.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
  }

  /** First events, evenly spaced samples and the last event, at most `max`. */
  events(max = MAX_REFS): NetEvent[] {
    const head = this.first.slice(0, Math.min(this.firstN, Math.max(1, max - 2)));
    const tail = this.last && !head.includes(this.last) ? [this.last] : [];
    const middle = this.pool.filter((e) => e !== this.last);
    const room = Math.max(0, max - head.length - tail.length);
    return [...head, ...sample(middle, room), ...tail];
  }

  refs(max = MAX_REFS): EvidenceRef[] {
    return this.events(max).map(ref);
  }
}
