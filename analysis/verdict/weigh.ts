import type { Finding, Leaning } from '../detect/detector';
import type { Coverage } from '../correlate/coverage';

export type Verdict = 'backscatter' | 'legitimate' | 'compromise' | 'inconclusive';

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
}

/** Below this a leaning is not a verdict: say inconclusive and ask. */
const DECIDE_AT = 0.45;
/** A second leaning this strong means the evidence points both ways. */
const CONFLICT_AT = 0.5;
/** Findings that settle the case from the complaint alone (an address no one can route). */
const SELF_EVIDENT = new Set(['impossible-source']);

const LEANINGS = ['backscatter', 'legitimate', 'compromise'] as const;

/** Independent findings reinforce each other: 1 - Π(1 - s). */
function noisyOr(strengths: number[]): number {
  return 1 - strengths.reduce((p, s) => p * (1 - Math.max(0, Math.min(1, s))), 1);
}

/**
 * Weigh findings into a verdict. Wrongly accusing a customer and wrongly
 * dismissing a real compromise are the two worst outcomes, so conflicting
 * evidence lowers the confidence and is said out loud rather than averaged
 * away, and thin evidence is "inconclusive", never a guess.
 */
export function weigh(findings: Finding[], cov: Coverage, hasEvidence: boolean): VerdictResult {
  const scores = { backscatter: 0, legitimate: 0, compromise: 0 };
  for (const l of LEANINGS) scores[l] = noisyOr(findings.filter((f) => f.leaning === l).map((f) => f.strength));
  const ranked = [...LEANINGS].sort((a, b) => scores[b] - scores[a]);
  const [best, second] = ranked;
  const missing: string[] = [];
  const selfEvident = findings.some((f) => SELF_EVIDENT.has(f.id));

  if (!selfEvident) {
    if (!hasEvidence) missing.push('no captures or logs from our side were attached');
    else if (cov.accusedEvents === 0) missing.push('our evidence never shows the accused address');
    else if (cov.timesTotal > 0 && cov.timesCovered === 0) missing.push("our evidence does not cover the complaint's time window");
  }
  const reasons = findings
    .filter((f) => f.leaning !== 'context')
    .sort((a, b) => b.strength - a.strength)
    .map((f) => f.summary);

  if (missing.length > 0 || scores[best] < DECIDE_AT) {
    if (missing.length === 0) missing.push('the evidence shows no pattern strong enough to decide');
    return { verdict: 'inconclusive', confidence: round(0.5 + 0.3 * (1 - scores[best])), reasons, scores, conflicting: false, missing };
  }
  const conflicting = scores[second] >= CONFLICT_AT;
  let confidence = scores[best];
  if (conflicting) confidence -= 0.6 * scores[second];
  if (cov.timesTotal > 0 && cov.timesCovered < cov.timesTotal) confidence -= 0.05;
  return {
    verdict: best, confidence: round(Math.max(0.3, Math.min(0.98, confidence))), reasons, scores, conflicting, missing,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function leaningOf(v: Verdict): Leaning | undefined {
  return v === 'inconclusive' ? undefined : v;
}
