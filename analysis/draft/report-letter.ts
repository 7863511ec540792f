/**
 * The single-case reply for a report that is not network abuse: phishing,
 * malware hosting, spam, an open service or a copyright notice
 * (analysis/triage/report-class.ts). Such a report is answered by its type,
 * with the same paragraphs the group reply starts from (report-templates.ts),
 * never with the network letter's request for packet headers, TCP flags and
 * captures, which a spam or phishing reporter does not have.
 *
 * Pure: no store, DOM or Node types.
 */
import type { Complaint } from '../complaint/complaint';
import type { Verdict } from '../case-vocabulary';
import { classifyReport, isNetworkClass, type ReportClass } from '../triage/report-class';
import { reportWords, verdictParagraphs } from './report-templates';

export interface ReportLetter {
  reportClass: Exclude<ReportClass, 'network-abuse'>;
  /** What was reported, in words: "spam sent from 192.0.2.1". */
  what: string;
  /** The verdict's paragraph first, then what follows from it (requests, thanks). */
  paragraphs: string[];
}

/** "a", "a and b", "a, b and c". */
function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The letter's words for a report of content or a service, or null for
 * network abuse (answered by composeReply's own network letter).
 */
export function reportLetter(c: Pick<Complaint, 'subject' | 'text' | 'reportFields' | 'activity' | 'format'>, verdict: Verdict, accused: string[]): ReportLetter | null {
  const { reportClass } = classifyReport(c);
  if (isNetworkClass(reportClass)) return null;
  const who = joinList(accused.length ? accused : ['the reported address']);
  const fill = (s: string): string => s.replaceAll('{accused}', who);
  return {
    reportClass: reportClass as ReportLetter['reportClass'],
    what: fill(reportWords(reportClass)),
    paragraphs: verdictParagraphs(verdict, reportClass).map(fill),
  };
}
