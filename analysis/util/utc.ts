/**
 * The one formatter for UTC times. Pure (Date's UTC getters, no zone
 * library), so the renderer can use it too; times in another zone go
 * through luxon in util/time.ts (formatInZone).
 *
 * Times in results are microseconds since the epoch; the store's are
 * milliseconds (utcMinute).
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A microsecond time stamp's UTC fields, zero-padded: "2025-12-18", "00:40:01", "123456". */
export interface UtcFields {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS */
  time: string;
  /** The six digits of the fraction of the second. */
  micros: string;
}

export function utcFields(tsMicros: number): UtcFields {
  const d = new Date(Math.floor(tsMicros / 1000));
  return {
    date: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    micros: pad(((tsMicros % 1_000_000) + 1_000_000) % 1_000_000, 6),
  };
}

/** "2025-12-18 00:40:01", with "…:01.123" (`ms`) or "…:01.123456" (`us`): no zone, for columns that state it once. */
export function utcStamp(tsMicros: number, precision: 's' | 'ms' | 'us' = 's'): string {
  if (!isValid(tsMicros)) return INVALID;
  const f = utcFields(tsMicros);
  const base = `${f.date} ${f.time}`;
  if (precision === 's') return base;
  return `${base}.${precision === 'ms' ? f.micros.slice(0, 3) : f.micros}`;
}

/** What a time that is no instant (NaN, beyond Date's range) prints as: the words luxon used for it here before. */
const INVALID = 'Invalid DateTime';
const isValid = (tsMicros: number): boolean => Number.isFinite(new Date(Math.floor(tsMicros / 1000)).getTime());

/** "2025-12-18 00:40:01 UTC", or "2025-12-18 00:40:01.123456 UTC" with the microseconds. */
export function formatUtc(tsMicros: number, withMicros = false): string {
  return `${utcStamp(tsMicros, withMicros ? 'us' : 's')} UTC`;
}

/** "2025-12-18T00:40:01Z": ISO 8601 to the second, for tools' command lines. */
export function isoUtc(tsMicros: number): string {
  if (!isValid(tsMicros)) return INVALID;
  const f = utcFields(tsMicros);
  return `${f.date}T${f.time}Z`;
}

/** "2025-12-18 00:40" for a time in ms since the epoch (the store's times). */
export function utcMinute(ms: number): string {
  return utcStamp(ms * 1000).slice(0, 16);
}
