/**
 * Ranking the work queue: which open case to read first. Pure (no I/O, no
 * clock): the store computes the inputs when a case is written (counts of
 * other reports about the same host up to this case's own date, so the score
 * does not drift with time) and keeps the result in indexed columns.
 *
 * Order: likely (or confirmed) compromise first, then repeat complaints about
 * the same host, then everything else, and likely false positives
 * (backscatter, legitimate traffic) last. Within a class, higher score first,
 * then the most recently received.
 */
import type { QueueClass, Verdict } from '../case-vocabulary';

/** The queue's classes, in the order they are worked. */
export { QUEUE_CLASSES, type QueueClass } from '../case-vocabulary';

export interface RankInput {
  /** Verdict of the latest full analysis (with evidence), if any: it outranks the provisional one. */
  verdict: Verdict | null;
  confidence: number | null;
  /** The first look's provisional verdict, if any. */
  provisionalVerdict: Verdict | null;
  provisionalConfidence: number | null;
  /** The strongest finding for that verdict, in a few words ("UDP bursts from port 770"). */
  headline: string | null;
  /** The accused host the counts are about. */
  accused: string | null;
  /** Reports about `accused` received in the 7 days up to and including this one (this one counts). */
  reportsWeek: number;
  /** The same over 30 days. */
  reportsMonth: number;
  /** Reports about `accused` within 30 days either side of this one (this one counts): later reports make an earlier one a repeat too. */
  reportsAround?: number;
  /** The complaint's last quoted time and when it was received (ms): activity reported within a day is "ongoing". */
  windowEnd: number | null;
  receivedAt: number;
}

export interface Rank {
  queueClass: QueueClass;
  /** Higher first within the class. */
  score: number;
  /** The reason in words, shown in the queue. */
  reason: string;
}

const DAY = 86_400_000;

/** 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const t = n % 100;
  const suffix = t >= 11 && t <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A finding's sentence cut to a queue-sized phrase. */
export function headlineOf(summary: string | undefined | null, max = 90): string | null {
  if (!summary) return null;
  const s = summary.replace(/\s+/g, ' ').trim().replace(/[.;:]+$/, '');
  if (!s) return null;
  return s.length <= max ? s : `${s.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

const WORD: Record<Verdict, string> = {
  compromise: 'compromise', backscatter: 'backscatter', legitimate: 'legitimate traffic', inconclusive: 'inconclusive',
};

/** Rank one case. */
export function rankCase(r: RankInput): Rank {
  const full = r.verdict !== null && r.verdict !== 'inconclusive';
  const verdict = full ? r.verdict : r.provisionalVerdict ?? r.verdict;
  const confidence = (full ? r.confidence : r.provisionalConfidence ?? r.confidence) ?? 0;
  const week = Math.max(1, r.reportsWeek);
  const month = Math.max(week, r.reportsMonth);
  const around = Math.max(month, r.reportsAround ?? month);
  const ongoing = r.windowEnd !== null && r.receivedAt - r.windowEnd < DAY;
  const later = around > month ? ` (${around} in all)` : '';
  const repeatWords = !r.accused ? null
    : week >= 2 ? `${ordinal(week)} report about ${r.accused} this week${later}`
      : month >= 2 ? `${ordinal(month)} report about ${r.accused} in 30 days${later}`
        : around >= 2 ? `first of ${around} reports about ${r.accused} in 30 days` : null;
  const label = verdict && verdict !== 'inconclusive' ? `${full ? '' : 'likely '}${WORD[verdict]}` : 'no clear leaning yet';
  const head = (v: string): string => (r.headline ? `${v}: ${r.headline}` : v);
  const join = (...parts: Array<string | null | false>): string => parts.filter(Boolean).join('; ');
  // Repeats weigh up to 20 reports; confidence 0..1 adds up to 100; ongoing activity adds 25.
  const repeatScore = Math.min(week, 20) * 10 + Math.min(around, 20) * 2;
  const confScore = Math.round(confidence * 100);

  if (verdict === 'compromise') {
    return {
      queueClass: 'compromise',
      score: confScore + repeatScore + (ongoing ? 25 : 0) + (full ? 50 : 0),
      reason: join(head(label), repeatWords, ongoing && 'reported within a day of the activity'),
    };
  }
  if (verdict === 'backscatter' || verdict === 'legitimate') {
    // The surest false positives last.
    return { queueClass: 'false-positive', score: 100 - confScore + repeatScore, reason: join(head(label), repeatWords) };
  }
  if (around >= 2) {
    return {
      queueClass: 'repeat',
      score: repeatScore + (ongoing ? 25 : 0),
      reason: join(`repeat: ${repeatWords}`, r.headline),
    };
  }
  return { queueClass: 'other', score: (ongoing ? 25 : 0), reason: join(head(label), ongoing && 'reported within a day of the activity') };
}
