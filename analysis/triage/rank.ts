/**
 * Ranking the work queue: which open case to read first. Pure (no I/O, no
 * clock): the store computes the inputs when a case is written (counts of
 * other reports about the same host up to this case's own date, so the score
 * does not drift with time) and keeps the result in indexed columns.
 *
 * Classes, in the order they are worked: network abuse judged (likely or
 * confirmed) a compromise; phishing; malware hosting; network abuse with no
 * clear leaning; spam; open services; copyright notices; and network abuse
 * judged a false positive (backscatter, legitimate traffic) last. Only network
 * abuse is filed by the first look's verdict: its checks read traffic, which
 * says nothing about a phishing page or a copyright notice. An analysed case's
 * accepted verdict replaces the first look's, inconclusive included, and
 * outranks every first look of its class. Within a class, higher score first,
 * then the most recently received. Repeats are a view across the classes.
 */
import type { QueueClass, ReportClass, Verdict } from '../case-vocabulary';
import { isNetworkClass } from './report-class';

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
  /** What the complaint reports (analysis/triage/report-class.ts); null is read as network abuse. */
  reportClass?: ReportClass | null;
  /** What was reported, in a few words (a URL, the open service). */
  reportDetail?: string | null;
}

export interface Rank {
  queueClass: QueueClass;
  /** Higher first within the class. */
  score: number;
  /** The reason in words, shown in the queue. */
  reason: string;
  /** The reason names other reports about the host: the case is in the Repeat view. */
  repeat: boolean;
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

/** How each report type's reason starts. */
export const REPORT_REASON: Record<Exclude<ReportClass, 'network-abuse'>, string> = {
  phishing: 'phishing report', 'malware-hosting': 'malware hosting report', spam: 'spam report', 'open-service': 'open service report',
  copyright: 'copyright notice',
};

/** An analysed case ranks above every first look of its class: its verdict rests on our own captures and logs. */
const ANALYSED = 1000;

/** Rank one case. */
export function rankCase(r: RankInput): Rank {
  const analysed = r.verdict !== null;
  const network = isNetworkClass(r.reportClass);
  // The first look weighs traffic: its leaning is only a leaning for network abuse.
  const verdict = analysed ? r.verdict : network ? r.provisionalVerdict : null;
  const confidence = (analysed ? r.confidence : network ? r.provisionalConfidence : null) ?? 0;
  const pct = `${Math.round(confidence * 100)}%`;
  // An inconclusive run's number is how sure it is that nothing settles the case, not a confidence in a verdict.
  const inconclusivePct = `${pct} sure nothing settles it`;
  const week = Math.max(1, r.reportsWeek);
  const month = Math.max(week, r.reportsMonth);
  const around = Math.max(month, r.reportsAround ?? month);
  const ongoing = r.windowEnd !== null && r.receivedAt - r.windowEnd < DAY;
  const later = around > month ? ` (${around} in all)` : '';
  const repeatWords = !r.accused ? null
    : week >= 2 ? `${ordinal(week)} report about ${r.accused} this week${later}`
      : month >= 2 ? `${ordinal(month)} report about ${r.accused} in 30 days${later}`
        : around >= 2 ? `first of ${around} reports about ${r.accused} in 30 days` : null;
  const repeat = repeatWords !== null;
  const head = (v: string): string => (r.headline ? `${v}: ${r.headline}` : v);
  const join = (...parts: Array<string | null | false>): string => parts.filter(Boolean).join('; ');
  const soon = ongoing && 'reported within a day of the activity';
  // Repeats weigh up to 20 reports; confidence 0..1 adds up to 100; ongoing activity adds 25.
  const repeatScore = Math.min(week, 20) * 10 + Math.min(around, 20) * 2;
  const confScore = Math.round(confidence * 100);
  const urgency = repeatScore + (ongoing ? 25 : 0);

  if (!network) {
    const cls = r.reportClass as Exclude<ReportClass, 'network-abuse'>;
    const what = r.reportDetail ? `${REPORT_REASON[cls]}: ${headlineOf(r.reportDetail, 70)}` : REPORT_REASON[cls];
    const judged = analysed && head(`analysed: ${WORD[verdict!]} (${verdict === 'inconclusive' ? inconclusivePct : pct})`);
    const score = urgency + (verdict === 'compromise' ? ANALYSED + confScore : analysed && verdict !== 'inconclusive' ? -50 : 0);
    return { queueClass: cls, score, reason: join(what, judged, repeatWords, soon), repeat };
  }
  if (verdict === 'compromise') {
    const label = analysed ? `compromise (analysed, ${pct})` : 'likely compromise';
    return { queueClass: 'compromise', score: (analysed ? ANALYSED : 0) + confScore + urgency, reason: join(head(label), repeatWords, soon), repeat };
  }
  if (verdict === 'backscatter' || verdict === 'legitimate') {
    // The surest false positives last: an analysed one below every first look.
    const label = analysed ? `${WORD[verdict]} (analysed, ${pct})` : `likely ${WORD[verdict]}`;
    return { queueClass: 'false-positive', score: (analysed ? 0 : ANALYSED) + 100 - confScore + repeatScore, reason: join(head(label), repeatWords), repeat };
  }
  const label = analysed ? `inconclusive after analysis (${inconclusivePct})` : 'no clear leaning yet';
  return { queueClass: 'other', score: urgency, reason: join(head(label), repeatWords, soon), repeat };
}
