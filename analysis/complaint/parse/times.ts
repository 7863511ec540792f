import { FixedOffsetZone, type Zone } from 'luxon';
import { parseZone } from '../../util/time';
import type { ComplaintTime } from '../complaint';
import type { ReportFacts } from '../facts';
import { dateHeaderZone, extractTimes, findZoneStatement, type TimeContext } from '../times';

/** Times beyond this many are not kept: a pasted log is evidence, not a list of incident times. */
const MAX_TIMES = 1000;

export interface TimesInput {
  subject?: string;
  bodyText: string;
  /** The body is pasted text, not a mail: its "Date:" line is the mail's date, not an incident time. */
  pasted: boolean;
  /** The body is itself a CSV or X-ARF JSON report (its times are in known fields). */
  structuredBody: boolean;
  reports: ReportFacts[];
  dateHeader?: string;
  /** "Now" for year-less times: the Date: header, else the caller's, else the clock. */
  nearMs: number;
}

export interface ComplaintTimes {
  times: ComplaintTime[];
  /** The complainant's zone (stated, the Date: header's, else the one most times are written in, else UTC). */
  zone: Zone;
}

/** The times a complaint names (subject, body, reports' time fields) and the zone it writes them in. */
export function complaintTimes(input: TimesInput): ComplaintTimes {
  const { subject, bodyText, reports } = input;
  const headerZone = dateHeaderZone(input.dateHeader);
  const statement = findZoneStatement(`${subject ?? ''}\n${bodyText}`);
  const tctx: TimeContext = { nearMs: input.nearMs, headerZone, statement };
  const times: ComplaintTime[] = [];
  const addTimes = (list: ComplaintTime[]): void => {
    for (const t of list) {
      // The same text read again with its format's zone (Shadowserver CSV is UTC) replaces the assumed reading.
      const same = times.findIndex((x) => x.text === t.text && (x.ts === t.ts || (x.zoneAssumed && !t.zoneAssumed)));
      if (same >= 0) {
        if (times[same].zoneAssumed && !t.zoneAssumed) times[same] = t;
        continue;
      }
      if (times.length < MAX_TIMES) times.push(t);
    }
  };
  if (subject) addTimes(extractTimes(subject, tctx));
  if (!input.structuredBody) addTimes(extractTimes(input.pasted ? bodyText.replace(/^\s*Date\s*:.*$/im, '') : bodyText, tctx));
  for (const r of reports) {
    for (const t of r.times) {
      const forced = t.zone ? parseZone(t.zone) : null;
      addTimes(extractTimes(t.text, forced ? { ...tctx, statement: { zone: forced, text: 'format' } } : tctx));
    }
  }
  return { times, zone: chooseZone(statement?.zone, headerZone, times) };
}

/**
 * The complainant's zone: the one they state, else their Date: header's
 * offset, else the zone most of their times are written in, else UTC.
 */
export function chooseZone(stated: Zone | 'local' | undefined, header: Zone | null, times: ComplaintTime[]): Zone {
  if (stated && stated !== 'local') return stated;
  if (header) return header;
  const counts = new Map<string, number>();
  for (const t of times) if (!t.zoneAssumed) counts.set(t.zone, (counts.get(t.zone) ?? 0) + 1);
  let best: string | undefined;
  for (const [z, n] of counts) if (best === undefined || n > counts.get(best)!) best = z;
  return (best && parseZone(best.replace(/^UTC(?=[+-])/, ''))) || (best === 'UTC' ? FixedOffsetZone.utcInstance : null) || FixedOffsetZone.utcInstance;
}
