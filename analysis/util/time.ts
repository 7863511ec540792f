import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import type { TimeReference } from '../ingest/reader';

/**
 * Zone abbreviations seen in complaints. Abbreviations are ambiguous in
 * general (IST, CST); these are the readings abuse mail uses in practice.
 * Where a summer/winter pair exists, the abbreviation fixes the offset.
 */
const ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, UT: 0, Z: 0, WET: 0, WEST: 60, BST: 60,
  CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600,
  IST: 330, JST: 540, KST: 540, HKT: 480, SGT: 480, AWST: 480,
  AEST: 600, AEDT: 660, ACST: 570, ACDT: 630, NZST: 720, NZDT: 780,
};

/**
 * Parse a zone as complaints write it: IANA ("Europe/Berlin"), an
 * abbreviation ("CET"), "UTC+1", "GMT-05:00", "+0100", "+01:00".
 * Returns null when it is none of these.
 */
export function parseZone(text: string): Zone | null {
  const t = text.trim();
  if (!t) return null;
  const upper = t.toUpperCase();
  if (upper in ABBREVIATIONS) return FixedOffsetZone.instance(ABBREVIATIONS[upper]);
  const m = /^(?:UTC|GMT|UT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    if (minutes > 14 * 60) return null;
    return FixedOffsetZone.instance(m[1] === '-' ? -minutes : minutes);
  }
  if (t.includes('/') && IANAZone.isValidZone(t)) return IANAZone.create(t);
  return null;
}

/** Offset of `zone` at instant `ms`, in minutes east of UTC. */
export function zoneOffsetMinutes(zone: Zone, ms: number): number {
  return zone.offset(ms);
}

/** The zone's name for display: "UTC+01:00" for fixed offsets, the IANA name otherwise. */
export function zoneLabel(zone: Zone): string {
  if (zone instanceof FixedOffsetZone) {
    return zone.offset(0) === 0 ? 'UTC' : `UTC${zone.formatOffset(0, 'short')}`;
  }
  return zone.name;
}

const UTC = FixedOffsetZone.utcInstance;

/** Resolve a reference's zone, falling back to UTC. */
export function referenceZone(ref: TimeReference | undefined): Zone {
  return (ref && parseZone(ref.zone)) || UTC;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

export function monthNumber(name: string): number | undefined {
  return MONTHS[name.slice(0, 3).toLowerCase()];
}

export interface LocalParts {
  year?: number;
  month?: number;
  day?: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second in microseconds. */
  micros?: number;
}

/** The largest distance from the epoch a Date (and so a DateTime) can stand for: 100,000,000 days. */
const MAX_DATE_MS = 8.64e15;

/**
 * Turn local wall-clock parts into microseconds since the epoch.
 * A missing year is the one that puts the time closest to the reference
 * (a December log read in January belongs to last year); a missing date
 * (time-only columns) takes the reference's date. `inferred` says whether
 * the reference had to be used.
 */
export function resolveLocalTime(
  parts: LocalParts,
  ref: TimeReference | undefined,
  zone?: Zone | null,
): { ts: number; inferred: boolean } {
  const z = zone ?? referenceZone(ref);
  const inferred = parts.year === undefined || parts.month === undefined || !zone;
  // A reference outside the dates a DateTime can hold (a corrupt timestamp in the evidence) is no reference.
  const refMs = ref?.nearMs !== undefined && Math.abs(ref.nearMs) <= MAX_DATE_MS ? ref.nearMs : undefined;
  const near = DateTime.fromMillis(refMs ?? Date.now(), { zone: z });
  const build = (year: number, month: number, day: number): DateTime =>
    DateTime.fromObject(
      { year, month, day, hour: parts.hour, minute: parts.minute, second: parts.second },
      { zone: z },
    );
  let dt: DateTime;
  if (parts.month === undefined || parts.day === undefined) {
    dt = build(near.year, near.month, near.day);
  } else if (parts.year === undefined) {
    const candidates = [near.year - 1, near.year, near.year + 1].map((y) => build(y, parts.month!, parts.day!));
    dt = candidates.reduce((a, b) => (Math.abs(b.toMillis() - near.toMillis()) < Math.abs(a.toMillis() - near.toMillis()) ? b : a));
  } else {
    dt = build(parts.year, parts.month, parts.day);
  }
  if (!dt.isValid) return { ts: NaN, inferred };
  return { ts: dt.toMillis() * 1000 + (parts.micros ?? 0), inferred };
}

/** Parse "123456" fraction digits into microseconds ("5" -> 500000, "123456789" -> 123456). */
export function fractionToMicros(digits: string | undefined): number {
  if (!digits) return 0;
  return Number((digits + '000000').slice(0, 6));
}

/** The same instant in another zone: "2025-12-18 01:40:01 UTC+01:00". */
export function formatInZone(tsMicros: number, zone: Zone): string {
  const d = DateTime.fromMillis(Math.floor(tsMicros / 1000), { zone });
  return `${d.toFormat('yyyy-MM-dd HH:mm:ss')} ${zoneLabel(zone)}`;
}
