/**
 * The queue's precomputed rank: after every write that can move a case (new
 * case, first look, analysis, status change), the case and the other cases
 * about the same host within 30 days are ranked again with
 * analysis/triage/rank.ts, and the result goes into indexed columns, so
 * reading the first screen is one index range scan.
 */
import type { FirstLook } from '../analysis/triage/first-look';
import { headlineOf, QUEUE_CLASSES, rankCase } from '../analysis/triage/rank';
import type { Finding } from '../analysis/detect/detector';
import type { Database } from './database';
import type { Verdict } from './types';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

interface RankRow {
  id: number; status: string; verdict: Verdict | null; confidence: number | null; provisional_verdict: Verdict | null;
  provisional_confidence: number | null; headline: string | null; primary_accused: string | null; activity: string | null;
  received_at: number; window_end: number | null;
}

/** The strongest finding for `verdict`, as a queue-sized phrase. */
export function headlineFor(findings: Finding[], verdict: Verdict): string | null {
  const best = findings.filter((f) => f.leaning === verdict).sort((a, b) => b.strength - a.strength)[0];
  return headlineOf(best?.summary);
}

/** The provisional columns a first look fills. */
export function firstLookColumns(fl: FirstLook): { verdict: Verdict; confidence: number; headline: string | null; json: string } {
  const p = fl.provisional;
  return { verdict: p.verdict, confidence: p.confidence, headline: headlineFor(fl.findings, p.verdict), json: JSON.stringify(fl) };
}

/** The group key: cases with the same (effective) verdict, accused and activity can share one reply. */
export function groupKey(verdict: Verdict | null, accused: string | null, activity: string | null): string | null {
  return verdict && accused ? `${verdict}|${accused}|${activity ?? 'other'}` : null;
}

/** Rank these cases again (closed ones leave the queue). */
export async function rerank(db: Database, ids: Iterable<number>): Promise<void> {
  for (const id of new Set(ids)) {
    const r = await db.get<RankRow>(`SELECT id, status, verdict, confidence, provisional_verdict, provisional_confidence, headline,
      primary_accused, activity, received_at, window_end FROM cases WHERE id = ?`, [id]);
    if (!r) continue;
    let c = { week: 1, month: 1, around: 1 };
    if (r.primary_accused && r.status !== 'closed') {
      c = (await db.get<{ week: number; month: number; around: number }>(
        `SELECT sum(received_at > ? AND (received_at < ? OR (received_at = ? AND id <= ?))) AS week,
                sum(received_at < ? OR (received_at = ? AND id <= ?)) AS month, count(*) AS around
         FROM cases WHERE primary_accused = ? AND received_at > ? AND received_at < ?`,
        [r.received_at - WEEK, r.received_at, r.received_at, r.id, r.received_at, r.received_at, r.id,
          r.primary_accused, r.received_at - MONTH, r.received_at + MONTH]))!;
    }
    const next = rankOf(r, c.week, c.month, c.around);
    await db.run('UPDATE cases SET rank_class = ?, rank_score = ?, rank_reason = ?, group_key = ? WHERE id = ?', [next.cls, next.score, next.reason, next.key, id]);
  }
}

interface NeighbourRow extends RankRow { rank_class: number | null; rank_score: number | null; rank_reason: string | null; group_key: string | null }

/**
 * Rank a case and the others about the same host within 30 days of it (their
 * counts include it). One query for the host's cases around it, counts in
 * memory, and an UPDATE only where the rank changed: a much-reported host has
 * hundreds of neighbours, and this runs on every import.
 */
export async function rerankAround(db: Database, id: number): Promise<void> {
  const me = await db.get<{ primary_accused: string | null; received_at: number }>('SELECT primary_accused, received_at FROM cases WHERE id = ?', [id]);
  if (!me) return;
  if (!me.primary_accused) return rerank(db, [id]);
  const rows = await db.all<NeighbourRow>(
    `SELECT id, status, verdict, confidence, provisional_verdict, provisional_confidence, headline, primary_accused, activity, received_at,
       window_end, rank_class, rank_score, rank_reason, group_key
     FROM cases WHERE primary_accused = ? AND received_at > ? AND received_at < ? ORDER BY received_at, id`,
    [me.primary_accused, me.received_at - 2 * MONTH, me.received_at + 2 * MONTH]);
  const before = (a: NeighbourRow, b: NeighbourRow): boolean => a.received_at < b.received_at || (a.received_at === b.received_at && a.id <= b.id);
  for (const r of rows) {
    if (r.id !== id && Math.abs(r.received_at - me.received_at) >= MONTH) continue;
    let week = 0;
    let month = 0;
    let around = 0;
    for (const o of rows) {
      if (o.received_at <= r.received_at - MONTH || o.received_at >= r.received_at + MONTH) continue;
      around++;
      if (before(o, r)) {
        month++;
        if (o.received_at > r.received_at - WEEK) week++;
      }
    }
    const next = rankOf(r, week, month, around);
    if (next.cls !== r.rank_class || next.score !== r.rank_score || next.reason !== r.rank_reason || next.key !== r.group_key) {
      await db.run('UPDATE cases SET rank_class = ?, rank_score = ?, rank_reason = ?, group_key = ? WHERE id = ?', [next.cls, next.score, next.reason, next.key, r.id]);
    }
  }
}

/** The rank columns of one case, given its counts (closed: out of the queue). */
function rankOf(r: RankRow, week: number, month: number, around: number): { cls: number | null; score: number | null; reason: string | null; key: string | null } {
  const full = r.verdict !== null && r.verdict !== 'inconclusive';
  const key = groupKey(full ? r.verdict : r.provisional_verdict ?? r.verdict, r.primary_accused, r.activity);
  if (r.status === 'closed') return { cls: null, score: null, reason: null, key };
  const rank = rankCase({
    verdict: r.verdict, confidence: r.confidence, provisionalVerdict: r.provisional_verdict, provisionalConfidence: r.provisional_confidence,
    headline: r.headline, accused: r.primary_accused, reportsWeek: week || 1, reportsMonth: month || 1, reportsAround: around || 1,
    windowEnd: r.window_end, receivedAt: r.received_at,
  });
  return { cls: QUEUE_CLASSES.indexOf(rank.queueClass), score: rank.score, reason: rank.reason, key };
}

/** Rank every case (after the migration that added the columns). */
export async function rerankAll(db: Database): Promise<void> {
  const rows = await db.all<{ id: number }>('SELECT id FROM cases');
  await rerank(db, rows.map((r) => r.id));
}
