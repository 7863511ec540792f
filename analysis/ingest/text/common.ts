/**
 * Helpers the text readers share: leading time stamps as syslog, journald,
 * ISO 8601 and epoch write them, address/port splitting and IP validation.
 * Everything here runs once per line, so regexes are compiled once and the
 * slow path (luxon) is cached per file and hour.
 */
import type { NetEvent } from '../../events/event';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../../events/event';
import type { LineContext } from '../reader';
import { fractionToMicros, monthNumber, parseZone, resolveLocalTime, type LocalParts } from '../../util/time';
import { rawExcerpt } from '../text-reader';

export interface ParsedTime {
  ts: number;
  inferred: boolean;
  /** Index in the line just after the time stamp (and any whitespace). */
  end: number;
}

export interface LineAt {
  file: string;
  line: number;
  offset: number;
}

/** The fields every text event carries. */
export function baseEvent(kind: NetEvent['kind'], time: { ts: number; inferred: boolean }, line: string, at: LineAt): NetEvent {
  const ev: NetEvent = { kind, ts: time.ts, source: { file: at.file, line: at.line, offset: at.offset }, raw: rawExcerpt(line) };
  if (time.inferred) ev.timeInferred = true;
  return ev;
}

const CACHE_KEY = '__localTimeCache';

/**
 * resolveLocalTime, cached by (date, hour): luxon costs microseconds per call
 * and a 100 MB log has millions of lines that share a handful of hours. The
 * zone's offset is constant within an hour except in the DST hour itself,
 * where the one-hour slack is what resolveLocalTime would do anyway.
 */
export function localTime(ctx: LineContext | undefined, parts: LocalParts): { ts: number; inferred: boolean } {
  const ref = ctx?.reference;
  if (!ctx) return resolveLocalTime(parts, ref);
  let cache = ctx.state[CACHE_KEY] as Map<string, { ts: number; inferred: boolean }> | undefined;
  if (!cache) {
    cache = new Map();
    ctx.state[CACHE_KEY] = cache;
  }
  const key = `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}T${parts.hour}`;
  let base = cache.get(key);
  if (!base) {
    base = resolveLocalTime({ year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: 0, second: 0 }, ref);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, base);
  }
  if (!Number.isFinite(base.ts)) return base;
  return { ts: base.ts + (parts.minute * 60 + parts.second) * 1_000_000 + (parts.micros ?? 0), inferred: base.inferred };
}

/** Wall-clock parts with an explicit UTC offset (minutes east), computed without luxon. */
export function exactTime(parts: LocalParts & { year: number; month: number; day: number }, offsetMinutes: number): number {
  const ms = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return (ms - offsetMinutes * 60_000) * 1000 + (parts.micros ?? 0);
}

/** Seconds since the epoch as text ("1713484795.943239") to microseconds, without float rounding. */
export function epochToMicros(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return Number(text) * 1_000_000;
  const sec = Number(text.slice(0, dot));
  return sec * 1_000_000 + fractionToMicros(text.slice(dot + 1));
}

/** "+02:00", "+0200", "-04:00", "Z" to minutes east of UTC; null when not an offset. */
export function offsetMinutes(z: string): number | null {
  if (z === 'Z' || z === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m) return null;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

// Leading time stamps, tried in order. Each is anchored at the start after an optional <PRI> (and RFC 5424 version).
const PRI = /^(?:<\d{1,3}>(?:1 )?)?/;
/** ISO 8601 / RFC 5424 / journalctl -o short-iso, "2015-03-07T05:09:30.045015+02:00", "2013-01-04 17:03:46", fail2ban's ",388". */
const ISO = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ?(Z|[+-]\d{2}:?\d{2})\b| ([A-Z]{2,5})\b)?\s*/;
/** BSD syslog (RFC 3164) and journalctl short / short-precise: "Mar  5 21:44:43", "Mar 11 13:05:01.123456"; optional year after. */
const BSD = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: (\d{4})(?= ))?\s*/;
/** journalctl -o short-unix, portsentry: "1403884279.123456 " */
const EPOCH = /^(\d{10}(?:\.\d{1,9})?)\s+/;

/**
 * Parse the time stamp a syslog-style line starts with. Times with a zone or
 * an epoch are exact; the rest are resolved against the reference.
 */
export function leadingTime(line: string, ctx?: LineContext, allowEpoch = true): ParsedTime | null {
  const pri = PRI.exec(line);
  const start = pri ? pri[0].length : 0;
  const s = start ? line.slice(start) : line;
  let m = ISO.exec(s);
  if (m) {
    const parts = {
      year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
      hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), micros: fractionToMicros(m[7]),
    };
    if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > 31 || parts.hour > 23) return null;
    let off: number | null = null;
    let len = m[0].length;
    if (m[8]) off = offsetMinutes(m[8]);
    else if (m[9]) {
      const z = parseZone(m[9]);
      // "2013-06-02 09:22:06 SMTP call from": a word after the time is not always a zone.
      if (z && z.isUniversal) off = z.offset(0);
      else len = m[0].indexOf(m[9], 19);
    }
    const end = start + len;
    if (off !== null) return { ts: exactTime(parts, off), inferred: false, end };
    const t = localTime(ctx, parts);
    return { ts: t.ts, inferred: t.inferred, end };
  }
  m = BSD.exec(s);
  if (m) {
    const month = monthNumber(m[1]);
    if (month === undefined) return null;
    const parts: LocalParts = {
      month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]),
      micros: fractionToMicros(m[6]), year: m[7] ? Number(m[7]) : undefined,
    };
    if (parts.day! < 1 || parts.day! > 31 || parts.hour > 23) return null;
    const t = localTime(ctx, parts);
    return { ts: t.ts, inferred: true, end: start + m[0].length };
  }
  if (allowEpoch) {
    m = EPOCH.exec(s);
    if (m) return { ts: epochToMicros(m[1]), inferred: false, end: start + m[0].length };
  }
  return null;
}

/** Quick test for a leading time stamp, for match(): no allocation beyond the regex. */
export function hasLeadingTime(line: string): boolean {
  const s = line.charCodeAt(0) === 60 /* < */ ? line.replace(PRI, '') : line;
  return ISO.test(s) || BSD.test(s);
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|0?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|0?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*(?:\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.]+)?$/;

export function isIPv4(s: string): boolean {
  return IPV4.test(s);
}

/** Loose IPv6 check: hex groups and colons (at most 8 groups, at most one "::"). */
export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 60 || !IPV6.test(s)) return false;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  const groups = s.split(':').length;
  // Without "::" a full address has eight groups (seven plus a dotted quad); this keeps "23:53:52" out.
  if (dbl < 0) return groups === 8 || (groups === 7 && s.includes('.'));
  return groups >= 3 && groups <= 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

export function ipVersion(s: string): 4 | 6 | undefined {
  if (isIPv4(s)) return 4;
  if (isIPv6(s)) return 6;
  return undefined;
}

/** "::ffff:1.2.3.4" is an IPv4 peer seen through a dual-stack socket: report it as 1.2.3.4. */
export function unmapV4(s: string): string {
  return s.length > 7 && /^::ffff:/i.test(s) && isIPv4(s.slice(7)) ? s.slice(7) : s;
}

/** Write an IPv6 address the way people compare them (lower case, zero groups compressed). */
export function normalizeIPv6(s: string): string {
  if (s.includes('.')) return s.toLowerCase();
  const parts = s.toLowerCase().split('::');
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
  const fill = parts.length > 1 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...tail].map((g) => g.replace(/^0+(?=.)/, ''));
  if (groups.length !== 8) return s.toLowerCase();
  // Longest run of zero groups (at least two) becomes "::" (RFC 5952 §4.2).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** An address as we store it: IPv4 as is, IPv6 normalised, v4-mapped unwrapped. */
export function normAddr(s: string): string {
  const u = unmapV4(s);
  return isIPv6(u) ? normalizeIPv6(u) : u;
}

/** Protocol names as logs write them, to IANA numbers. */
export function protoNumber(name: string): number | undefined {
  switch (name.toLowerCase()) {
    case 'tcp': return IPPROTO_TCP;
    case 'udp': return IPPROTO_UDP;
    case 'icmp': return IPPROTO_ICMP;
    case 'icmp6': case 'icmpv6': case 'ipv6-icmp': return IPPROTO_ICMPV6;
    case 'igmp': return 2;
    case 'gre': return 47;
    case 'esp': return 50;
    case 'ah': return 51;
    case 'sctp': return 132;
    case 'udplite': return 136;
    default: {
      const n = /^(?:ip-proto-|proto:?)?(\d{1,3})$/i.exec(name);
      return n && Number(n[1]) <= 255 ? Number(n[1]) : undefined;
    }
  }
}

/** Parse a port as text (decimal, or argus' hex 0x0050); undefined when it is not one. */
export function portNumber(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const n = s.startsWith('0x') ? parseInt(s.slice(2), 16) : /^\d{1,5}$/.test(s) ? Number(s) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** Put the address of `addr` into ev.src/dst, with ipVersion. */
export function setAddrs(ev: NetEvent, src: string | undefined, dst: string | undefined): void {
  if (src) ev.src = normAddr(src);
  if (dst) ev.dst = normAddr(dst);
  const v = ipVersion(ev.src ?? ev.dst ?? '');
  if (v) ev.ipVersion = v;
}

/** Set a number field only when the text is a finite number. */
export function num(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
