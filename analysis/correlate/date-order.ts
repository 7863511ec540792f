import type { Complaint } from '../complaint/complaint';
import { COVERAGE_MARGIN_SECONDS, type SeenTimes } from './coverage';

/**
 * "03/04/2026 10:00" is 4 March to a US tool and 3 April to most of the
 * world. The complaint parser reads such dates month first and keeps the
 * other reading; here the evidence decides: when the day-first reading of
 * the ambiguous times is covered by our evidence and the month-first one is
 * not, the complaint is read day first, and a warning says so.
 */
export function settleDateOrder(c: Complaint, seen: SeenTimes, warnings: string[]): Complaint {
  const ambiguous = c.times.filter((t) => t.swappedTs !== undefined);
  if (ambiguous.length === 0) return c;
  const margin = COVERAGE_MARGIN_SECONDS * 1e6;
  const covered = (ts: number): boolean => seen.hasWithin(ts, margin);
  const asWritten = ambiguous.filter((t) => covered(t.ts)).length;
  const swapped = ambiguous.filter((t) => covered(t.swappedTs!)).length;
  if (swapped <= asWritten) return c;
  warnings.push(`read ${ambiguous.map((t) => `"${t.text}"`).join(', ')} day first (day/month): our evidence covers that date, not the month-first one`);
  return { ...c, times: c.times.map((t) => (t.swappedTs === undefined ? t : { ...t, ts: t.swappedTs, swappedTs: t.ts })) };
}
