import type { Finding } from '../detect/detector';

/**
 * How far from every complaint time a finding's evidence may lie and still
 * be about the complaint. Activity often runs on after the first report,
 * so this is wider than the coverage margin; a finding quoted only from
 * hours away is about something else.
 */
export const WINDOW_MARGIN_SECONDS = 60 * 60;

/**
 * Split findings into those about the complaint's window and those seen
 * only outside it. A finding without timestamped evidence (a complaint-only
 * finding, a log without times) stays in: it cannot be placed. Without a
 * complaint time there is no window, and everything stays in.
 */
export function partitionByWindow(
  findings: Finding[],
  complaintTimes: number[],
  offsetSeconds: number,
  marginSeconds = WINDOW_MARGIN_SECONDS,
): { inside: Finding[]; outside: Finding[] } {
  if (complaintTimes.length === 0) return { inside: findings, outside: [] };
  const local = complaintTimes.map((t) => t - offsetSeconds * 1e6);
  const lo = Math.min(...local) - marginSeconds * 1e6;
  const hi = Math.max(...local) + marginSeconds * 1e6;
  const inside: Finding[] = [];
  const outside: Finding[] = [];
  for (const f of findings) {
    const times = f.evidence.map((e) => e.ts).filter((t): t is number => t !== undefined);
    if (times.length === 0) { inside.push(f); continue; }
    // The evidence quotes the first and last of what it found: a span that overlaps the window counts.
    let first = Infinity;
    let last = -Infinity;
    for (const t of times) { if (t < first) first = t; if (t > last) last = t; }
    (last >= lo && first <= hi ? inside : outside).push(f);
  }
  return { inside, outside };
}
