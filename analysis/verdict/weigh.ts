import type { Finding, Leaning } from '../detect/detector';
import type { Coverage } from '../correlate/coverage';

import type { Verdict } from '../case-vocabulary';

export type { Verdict };

export interface VerdictResult {
  verdict: Verdict;
  /** 0..1: how sure the evidence makes us. */
  confidence: number;
  /** Plain-word reasons, strongest first. */
  reasons: string[];
  /** Scores per leaning (noisy-OR of the findings' strengths). */
  scores: Record<'backscatter' | 'legitimate' | 'compromise', number>;
  /** True when strong findings point to different verdicts. */
  conflicting: boolean;
  /** What is missing when the verdict is inconclusive. */
  missing: string[];
  /** What moved the confidence, in order: the evidence's own strength first, then each adjustment. */
  factors: ConfidenceFactor[];
}

export interface ConfidenceFactor {
  reason: string;
  /** The change this made, e.g. -0.05; the first factor is the starting value. */
  change: number;
}

/** Below this a leaning is not a verdict: say inconclusive and ask. */
const DECIDE_AT = 0.45;
/** A second leaning this strong means the evidence points both ways. */
const CONFLICT_AT = 0.5;
/** Findings that settle the case from the complaint alone (an address no one can route). */
const SELF_EVIDENT = new Set(['impossible-source']);
/** Off the confidence when the complaint gives no time: nothing ties our evidence to the moment they saw. */
const NO_TIME_PENALTY = 0.15;
/** Off the confidence when only some of the complaint's times are covered. */
const PARTIAL_WINDOW_PENALTY = 0.05;

const LEANINGS = ['backscatter', 'legitimate', 'compromise'] as const;

/** Independent findings reinforce each other: 1 - Π(1 - s). */
function noisyOr(strengths: number[]): number {
  return 1 - strengths.reduce((p, s) => p * (1 - Math.max(0, Math.min(1, s))), 1);
}

/**
 * Weigh findings into a verdict. Wrongly accusing a customer and wrongly
 * dismissing a real compromise are the two worst outcomes, so conflicting
 * evidence lowers the confidence and is said out loud rather than averaged
 * away, and thin evidence is "inconclusive", never a guess. `unread` says
 * why attached evidence gave nothing, when files were attached.
 */
export function weigh(findings: Finding[], cov: Coverage, hasEvidence: boolean, unread?: string): VerdictResult {
  const scores = { backscatter: 0, legitimate: 0, compromise: 0 };
  for (const l of LEANINGS) scores[l] = noisyOr(findings.filter((f) => f.leaning === l).map((f) => f.strength));
  const ranked = [...LEANINGS].sort((a, b) => scores[b] - scores[a]);
  const [best, second] = ranked;
  const missing: string[] = [];
  const selfEvident = findings.some((f) => SELF_EVIDENT.has(f.id));

  if (!selfEvident) {
    // Files attached but none read is not "nothing attached": `unread` names them and why (ingest/read-problems.ts).
    if (!hasEvidence) missing.push(unread ?? 'no captures or logs from our side were attached');
    else if (cov.accusedEvents === 0) missing.push('our evidence never shows the accused address');
    else if (cov.timesTotal > 0 && cov.timesCovered === 0) missing.push("our evidence does not cover the complaint's time window");
  }
  const reasons = findings
    .filter((f) => f.leaning !== 'context')
    .sort((a, b) => b.strength - a.strength)
    .map((f) => f.summary);

  if (missing.length > 0 || scores[best] < DECIDE_AT) {
    if (missing.length === 0) missing.push('the evidence shows no pattern strong enough to decide');
    const confidence = round(0.5 + 0.3 * (1 - scores[best]));
    return {
      verdict: 'inconclusive', confidence, reasons, scores, conflicting: false, missing,
      factors: [{ reason: `inconclusive: ${missing.join('; ')}`, change: confidence }],
    };
  }
  const factors: ConfidenceFactor[] = [{ reason: `the ${best} findings taken together`, change: round(scores[best]) }];
  const conflicting = scores[second] >= CONFLICT_AT;
  if (conflicting) factors.push({ reason: `findings that point to ${second} as well`, change: -round(0.6 * scores[second]) });
  if (!selfEvident && cov.timesTotal === 0) factors.push({ reason: 'the complaint gives no time, so nothing ties our evidence to the moment they saw', change: -NO_TIME_PENALTY });
  if (cov.timesTotal > 0 && cov.timesCovered < cov.timesTotal) {
    factors.push({ reason: `our evidence covers ${cov.timesCovered} of the complaint's ${cov.timesTotal} times`, change: -PARTIAL_WINDOW_PENALTY });
  }
  const raw = factors.reduce((sum, f) => sum + f.change, 0);
  const confidence = round(Math.max(0.3, Math.min(0.98, raw)));
  if (confidence !== round(raw)) factors.push({ reason: 'kept between 30% and 98%: evidence is never certain', change: round(confidence - raw) });
  return { verdict: best, confidence, reasons, scores, conflicting, missing, factors };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function leaningOf(v: Verdict): Leaning | undefined {
  return v === 'inconclusive' ? undefined : v;
}
