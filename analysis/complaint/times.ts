import { DateTime, FixedOffsetZone, type Zone } from 'luxon';
import { fractionToMicros, monthNumber, parseZone, resolveLocalTime, zoneLabel, type LocalParts } from '../util/time';
import type { ComplaintTime } from './complaint';

/**
 * Time stamps as complaints write them. Each pattern yields local parts and
 * the zone text written next to it (if any); zone-less times take the zone
 * the complaint states ("all times CET", "times are local"), else the Date:
 * header's offset, else UTC, and are marked `zoneAssumed`.
 */

const MON = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DOW = '(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?';
/** A zone as written after a time: offset, abbreviation, "UTC+1", optionally in parentheses. */
const ZONE = '(Z(?![A-Za-z])|[+-]\\d{2}:?\\d{2}(?!\\d)|(?:UTC|GMT|UT)\\s?[+-]\\s?\\d{1,2}(?::?\\d{2})?(?!\\d)|\\(?[A-Z]{2,5}\\)?(?![A-Za-z])|[A-Z][a-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)';

interface Found {
  index: number;
  end: number;
  text: string;
  parts: LocalParts;
  /** The same text read with day and month swapped, when both readings are dates ("03/04/2026"). */
  swapped?: LocalParts;
  zoneText?: string;
  /** Used when a zone token turned out to be something else ("UTC" in prose is fine, "IDS" is not). */
}

interface Pattern {
  re: RegExp;
  build(m: RegExpExecArray): { parts: LocalParts; zone?: string; swapped?: LocalParts } | null;
}

function hour12(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  const pm = ampm.toUpperCase() === 'PM';
  if (h === 12) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

function year2(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

const PATTERNS: Pattern[] = [
  // ISO 8601 and "2025-12-18 00:40 UTC".
  {
    re: new RegExp(`(?<![\\d-])(\\d{4})-(\\d{2})-(\\d{2})(?:[T ]\\s?|,?\\s+(?:at\\s+)?)(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(?:\\s?${ZONE})?`, 'g'),
    build: (m) => ({
      parts: { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0), micros: fractionToMicros(m[7]) },
      zone: m[8],
    }),
  },
  // RFC 2822: "Tue, 28 Oct 2003 08:59:56 -0700 (MST)", "18 Dec 2025 01:40 CET".
  {
    // One line only, and not the tail of a word: "ssh2\nJan 14 07:12:03" is not 2 Jan 2014.
    re: new RegExp(`${DOW}(?<![\\w.])(\\d{1,2})[ \\t]+${MON}\\.?[ \\t]+(\\d{4}|\\d{2}),?[ \\t]+(?:at[ \\t]+)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s?${ZONE})?`, 'gi'),
    build: (m) => ({
      parts: { year: year2(m[3]), month: monthNumber(m[2]), day: +m[1], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) },
      zone: m[7],
    }),
  },
  // "Tuesday, January 18, 2000 4:58 PM", "Jan 18 2000 16:58:00 UTC".
  {
    re: new RegExp(`${DOW}\\b${MON}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4}),?\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s?([AaPp][Mm]))?(?:\\s?${ZONE})?`, 'gi'),
    build: (m) => ({
      parts: { year: +m[3], month: monthNumber(m[1]), day: +m[2], hour: hour12(+m[4], m[7]), minute: +m[5], second: +(m[6] ?? 0) },
      zone: m[8],
    }),
  },
  // Apache/nginx: "31/Jan/2014:07:19:02 +0100".
  {
    re: new RegExp(`(?<!\\d)(\\d{1,2})/${MON}/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?:\\s?${ZONE})?`, 'gi'),
    build: (m) => ({
      parts: { year: +m[3], month: monthNumber(m[2]), day: +m[1], hour: +m[4], minute: +m[5], second: +m[6] },
      zone: m[7],
    }),
  },
  // Snort: "02/01-23:00:01.123456" (year-less) and "02/01/26-23:00:01.123456".
  {
    re: /(?<![\d/])(\d{2})\/(\d{2})(?:\/(\d{2}))?-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/g,
    build: (m) => ({
      parts: { year: m[3] ? year2(m[3]) : undefined, month: +m[1], day: +m[2], hour: +m[4], minute: +m[5], second: +m[6], micros: fractionToMicros(m[7]) },
    }),
  },
  // Slashed "03/04/2026 10:00" (month first, as US tools write it) or "31/03/2026 10:00" (day first when the
  // first number cannot be a month). With both numbers 12 or less it is ambiguous: the other reading is kept.
  {
    re: new RegExp(`(?<![\\d/])(\\d{1,2})/(\\d{1,2})/(\\d{4}),?[ T]+(?:at\\s+)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s?([AaPp][Mm]))?(?:\\s?${ZONE})?`, 'g'),
    build: (m) => {
      const a = +m[1], b = +m[2];
      const time = { hour: hour12(+m[4], m[7]), minute: +m[5], second: +(m[6] ?? 0) };
      const monthFirst = { year: +m[3], month: a, day: b, ...time };
      const dayFirst = { year: +m[3], month: b, day: a, ...time };
      if (a > 12) return { parts: dayFirst, zone: m[8] };
      return { parts: monthFirst, zone: m[8], swapped: b <= 12 && a !== b ? dayFirst : undefined };
    },
  },
  // European "31.01.2014 07:19:02".
  {
    re: new RegExp(`(?<![\\d.])(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4}),?\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s?${ZONE})?`, 'g'),
    build: (m) => ({
      parts: { year: +m[3], month: +m[2], day: +m[1], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) },
      zone: m[7],
    }),
  },
  // A time of day alone, after a word that makes it one: "at 03:10 CET", "around 2:15 pm". Its date is the latest one not after the reference.
  {
    re: new RegExp(`\\b(?:[Aa]t|[Aa]round|[Aa]bout|[Aa]pprox\\.?|[Aa]pproximately|[Ss]ince|[Ff]rom|[Uu]ntil|[Tt]ill|[Tt]o)\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?![\\d:.])(?:\\s?([AaPp]\\.?[Mm]\\.?))?(?:\\s?${ZONE})?`, 'g'),
    build: (m) => ({
      parts: { hour: hour12(+m[1], m[4]?.replaceAll('.', '')), minute: +m[2], second: +(m[3] ?? 0) },
      zone: m[5],
    }),
  },
  // Syslog, year-less: "Feb  1 23:00:01"; also "Feb 1 2026 23:00:01" is caught above.
  {
    re: new RegExp(`\\b${MON}\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?(?:\\s?${ZONE})?`, 'g'),
    build: (m) => ({
      parts: { month: monthNumber(m[1]), day: +m[2], hour: +m[3], minute: +m[4], second: +m[5], micros: fractionToMicros(m[6]) },
      zone: m[7],
    }),
  },
];

/** Zone tokens that look like abbreviations but are words in logs ("IDS", "TCP"). */
function zoneFromToken(token: string | undefined): Zone | null {
  if (!token) return null;
  const t = token.replace(/^\(|\)$/g, '').trim();
  if (t === 'Z' || t === 'z') return FixedOffsetZone.utcInstance;
  return parseZone(t);
}

function validParts(p: LocalParts): boolean {
  if (p.month !== undefined && (p.month < 1 || p.month > 12)) return false;
  if (p.day !== undefined && (p.day < 1 || p.day > 31)) return false;
  if (p.year !== undefined && (p.year < 1970 || p.year > 2200)) return false;
  return p.hour <= 24 && p.minute < 60 && p.second <= 60;
}

/** Scan `text` for every time stamp pattern; overlapping matches keep the longest (earliest on ties). */
function scan(text: string): Found[] {
  const all: Found[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(text)) !== null) {
      if (m[0].length === 0) { p.re.lastIndex++; continue; }
      const built = p.build(m);
      if (!built || !validParts(built.parts)) continue;
      let zoneText = built.zone;
      let end = m.index + m[0].length;
      let written = m[0];
      if (zoneText && !zoneFromToken(zoneText)) {
        // Not a zone after all ("... 12:00 IDS alert"): drop it from the match.
        written = written.slice(0, written.length - zoneText.length).trimEnd();
        end = m.index + written.length;
        zoneText = undefined;
      }
      all.push({ index: m.index, end, text: written, parts: built.parts, swapped: built.swapped, zoneText });
      if (all.length > 100_000) break;
    }
  }
  all.sort((a, b) => a.index - b.index || (b.end - b.index) - (a.end - a.index));
  const kept: Found[] = [];
  for (const f of all) {
    const last = kept[kept.length - 1];
    if (last && f.index < last.end) {
      if (f.end - f.index > last.end - last.index) kept[kept.length - 1] = f;
      continue;
    }
    kept.push(f);
  }
  return kept;
}

/** What the complaint says about its times' zone, e.g. "all times are CET", "times are local". */
export interface ZoneStatement {
  /** The zone stated, or 'local' when the complaint says local time without naming it. */
  zone: Zone | 'local';
  text: string;
}

const STATEMENT_RES: RegExp[] = [
  /\b(?:all\s+)?(?:times?(?:\s*stamps?)?|timestamps?|dates?)\s+(?:are|is|shown|given|listed|reported)?\s*(?:in\s+)?(?:the\s+)?(local(?:\s+time)?|UTC|GMT|[A-Z]{2,5}(?![a-z])|(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[A-Z][a-z]+\/[A-Za-z_]+)/gi,
  /\b(?:time\s*zone|timezone|TZ)\s*(?:is|:|=)?\s*((?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[A-Z]{2,5}(?![a-z])|[A-Z][a-z]+\/[A-Za-z_]+|[+-]\d{2}:?\d{2})/g,
];

export function findZoneStatement(text: string): ZoneStatement | null {
  for (const re of STATEMENT_RES) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const token = m[1];
      if (/^local/i.test(token)) return { zone: 'local', text: m[0] };
      const z = parseZone(token.replace(/\s+/g, ''));
      if (z) return { zone: z, text: m[0] };
    }
  }
  return null;
}

/** Offset of an RFC 2822 Date: header value, e.g. "-0500" -> UTC-05:00; null when it has none. */
export function dateHeaderZone(value: string | undefined): Zone | null {
  if (!value) return null;
  const m = /\s([+-]\d{4})(?:\s|$|\()/.exec(value + ' ');
  if (m) return parseZone(m[1]);
  const abbr = /\s(UT|GMT|Z|[A-Z]{3,4})\s*(?:\(|$)/.exec(value.trim() + ' ');
  if (abbr) return parseZone(abbr[1]);
  return null;
}

/** Parse an RFC 2822 (or ISO) date header value to ms; NaN when it cannot be read. */
export function parseDateHeader(value: string): number {
  const times = scan(value);
  if (times.length === 0) return NaN;
  const f = times[0];
  const z = zoneFromToken(f.zoneText) ?? FixedOffsetZone.utcInstance;
  if (f.parts.year === undefined) return NaN;
  const r = resolveLocalTime(f.parts, { nearMs: 0, zone: 'UTC' }, z);
  return Number.isFinite(r.ts) ? Math.floor(r.ts / 1000) : NaN;
}

export interface TimeContext {
  /** The reference for year-less times: the mail's Date: or the caller's now. */
  nearMs: number;
  /** Zone of the Date: header, when there is one. */
  headerZone: Zone | null;
  statement: ZoneStatement | null;
}

/** The zone to apply to zone-less times, and whether it was assumed rather than stated. */
export function defaultZone(ctx: TimeContext): { zone: Zone; assumed: boolean } {
  if (ctx.statement && ctx.statement.zone !== 'local') return { zone: ctx.statement.zone, assumed: false };
  if (ctx.headerZone) return { zone: ctx.headerZone, assumed: true };
  return { zone: FixedOffsetZone.utcInstance, assumed: true };
}

const MAX_TIMES = 1000;

/** Slack for clocks and zones when deciding that a year-less time lies in the future. */
export const FUTURE_SLACK_MS = 2 * 86_400_000;

/**
 * A year-less time is the latest occurrence not after the reference: a
 * complaint quotes what already happened ("Feb  1" read on Nov 22 is this
 * February, not the next one).
 */
export function resolvePast(parts: LocalParts, nearMs: number, zone: Zone): { ts: number; inferred: boolean } {
  const r = resolveLocalTime(parts, { nearMs, zone: zoneLabel(zone) }, zone);
  if (!Number.isFinite(r.ts) || r.ts / 1000 <= nearMs + FUTURE_SLACK_MS) return r;
  const year = DateTime.fromMillis(Math.floor(r.ts / 1000), { zone }).year - 1;
  return resolveLocalTime({ ...parts, year }, { nearMs, zone: zoneLabel(zone) }, zone);
}

/**
 * A time of day with no date is the latest such moment not after the
 * reference (plus an hour for clocks): "at 03:10" in a mail sent at 09:00 is
 * this morning, in one sent at 02:00 it is yesterday.
 */
export function resolveDayless(parts: LocalParts, nearMs: number, zone: Zone): { ts: number; inferred: boolean } {
  const r = resolveLocalTime(parts, { nearMs, zone: zoneLabel(zone) }, zone);
  if (!Number.isFinite(r.ts) || r.ts / 1000 <= nearMs + 3_600_000) return { ts: r.ts, inferred: true };
  const back = DateTime.fromMillis(Math.floor(r.ts / 1000), { zone }).minus({ days: 1 }).toMillis();
  return { ts: back * 1000 + (parts.micros ?? 0), inferred: true };
}

/** Move an inferred-year time stamp (µs) that lies in the future back by one year. */
export function pastYear(tsMicros: number, nearMs: number, zone: Zone): number {
  if (tsMicros / 1000 <= nearMs + FUTURE_SLACK_MS) return tsMicros;
  const ms = Math.floor(tsMicros / 1000);
  const back = DateTime.fromMillis(ms, { zone }).minus({ years: 1 }).toMillis();
  return back * 1000 + (tsMicros - ms * 1000);
}

/** Every time stamp in `text`, in order of appearance, resolved to UTC microseconds. */
export function extractTimes(text: string, ctx: TimeContext): ComplaintTime[] {
  const out: ComplaintTime[] = [];
  const fallback = defaultZone(ctx);
  for (const f of scan(text)) {
    const written = zoneFromToken(f.zoneText);
    const zone = written ?? fallback.zone;
    const yearless = f.parts.year === undefined;
    const r = f.parts.day === undefined ? resolveDayless(f.parts, ctx.nearMs, zone)
      : yearless ? resolvePast(f.parts, ctx.nearMs, zone) : resolveLocalTime(f.parts, { nearMs: ctx.nearMs, zone: zoneLabel(zone) }, zone);
    if (!Number.isFinite(r.ts)) continue;
    const alt = f.swapped && resolveLocalTime(f.swapped, { nearMs: ctx.nearMs, zone: zoneLabel(zone) }, zone);
    out.push({
      ts: r.ts,
      text: f.text,
      zone: zoneLabel(zone),
      zoneAssumed: !written ? fallback.assumed || yearless : yearless,
      ...(alt && Number.isFinite(alt.ts) ? { swappedTs: alt.ts } : {}),
    });
    if (out.length >= MAX_TIMES) break;
  }
  return out;
}
