import type { Zone } from 'luxon';
import type { ComplaintTime } from '../complaint/complaint';
import { formatInZone, parseZone, zoneLabel } from '../util/time';
import { formatUtc } from '../util/utc';

/** "2026-03-14 02:10" of an instant in UTC. */
function utcMinute(ts: number): { date: string; hm: string } {
  const [date, time] = formatUtc(ts).split(' ');
  return { date, hm: time.slice(0, 5) };
}

/** The same instant's date and "HH:MM" in `zone`. */
function zoneMinute(ts: number, zone: Zone): { date: string; hm: string } {
  const [date, time] = formatInZone(ts, zone).split(' ');
  return { date, hm: time.slice(0, 5) };
}

/**
 * The zone's name as the complainant wrote it next to a time ("03:10 CET"),
 * when that name means the zone that was applied (an alert line without a
 * zone and a sentence naming it may give the same instant); else the
 * applied zone's own label ("UTC+01:00", "Europe/Berlin").
 */
function labelFor(times: ComplaintTime[], zone: Zone): string {
  for (const t of times) {
    const token = /([A-Za-z]{2,5}|[A-Za-z]+\/[A-Za-z_]+)\s*\)?\s*$/.exec(t.text)?.[1];
    const written = token ? parseZone(token) : null;
    const ms = Math.floor(t.ts / 1000);
    if (token && written && written.offset(ms) === zone.offset(ms)) return token;
  }
  return zoneLabel(zone);
}

/**
 * The complaint's time(s) as the reply gives them back: in UTC to the
 * minute, then in the complainant's own zone when it is not UTC, e.g.
 * "2026-03-14 02:10 UTC (03:10 CET)", or a span "2026-03-14 02:10 to
 * 02:40 UTC (03:10 to 03:40 CET)"; a local date only when it differs from
 * the UTC one. Undefined when the complaint gives no usable time.
 */
export function complaintWhen(times: ComplaintTime[]): string | undefined {
  const valid = times.filter((t) => Number.isFinite(t.ts));
  if (!valid.length) return undefined;
  const first = valid.reduce((a, b) => (b.ts < a.ts ? b : a));
  const last = valid.reduce((a, b) => (b.ts > a.ts ? b : a));
  const zone = parseZone(first.zone) ?? parseZone('UTC')!;
  const a = utcMinute(first.ts);
  const b = utcMinute(last.ts);
  const span = a.date !== b.date || a.hm !== b.hm;
  const utc = span ? `${a.date} ${a.hm} to ${b.date !== a.date ? `${b.date} ` : ''}${b.hm} UTC` : `${a.date} ${a.hm} UTC`;
  const ms = Math.floor(first.ts / 1000);
  if (zone.offset(ms) === 0 && zone.offset(Math.floor(last.ts / 1000)) === 0) return utc;
  const la = zoneMinute(first.ts, zone);
  const lb = zoneMinute(last.ts, zone);
  const at = (l: { date: string; hm: string }, utcDate: string): string => `${l.date !== utcDate ? `${l.date} ` : ''}${l.hm}`;
  const local = span
    ? `${at(la, a.date)} to ${lb.date !== la.date ? `${lb.date} ` : ''}${lb.hm}`
    : at(la, a.date);
  return `${utc} (${local} ${labelFor(valid.filter((t) => t.zone === first.zone), zone)})`;
}
