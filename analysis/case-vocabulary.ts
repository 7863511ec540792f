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

/** The triage queue's classes, in the order they are worked (analysis/triage/rank.ts). */
export const QUEUE_CLASSES = ['compromise', 'repeat', 'other', 'false-positive'] as const;
export type QueueClass = (typeof QUEUE_CLASSES)[number];
