/**
 * The words a case is filed under, declared once. Every layer may import
 * analysis/ (the store, the contract's zod schemas, the CLI, the renderer),
 * while the store may not import the contract, so the lists live here and
 * the others derive their types and schemas from them.
 */

/** What the analysis concluded about the accused host. */
export const VERDICTS = ['backscatter', 'legitimate', 'compromise', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Where a case is in its handling. */
export const CASE_STATUSES = ['new', 'analysed', 'replied', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * What a complaint reports, read from the report itself (analysis/triage/report-class.ts).
 * Network abuse (scans, brute force, floods, worms, bots) is weighed by the first
 * look and the analysis; the other types are about content or a service on our
 * host, and are answered by their type.
 */
export const REPORT_CLASSES = ['network-abuse', 'phishing', 'malware-hosting', 'spam', 'open-service', 'copyright'] as const;
export type ReportClass = (typeof REPORT_CLASSES)[number];

/**
 * The triage queue's classes, in the order they are worked (analysis/triage/rank.ts).
 * Network abuse is filed by its verdict (compromise, other = no clear leaning,
 * false-positive); every other report type is its own class. 'repeat' is not a
 * class a case is filed in but a view across them: the cases whose reason says
 * the host was reported more than once (its count is of those rows).
 */
export const QUEUE_CLASSES = [
  'compromise', 'repeat', 'phishing', 'malware-hosting', 'other', 'spam', 'open-service', 'copyright', 'false-positive',
] as const;
export type QueueClass = (typeof QUEUE_CLASSES)[number];
