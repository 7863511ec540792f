/**
 * The queue's precomputed rank: after every write that can move a case (new
 * case, first look, analysis, status change), the case and the other cases
 * about the same host within 30 days are ranked again with
 * analysis/triage/rank.ts, and the result goes into indexed columns, so
 * reading the first screen is one index range scan. Also the queue's reads:
 * a page of it, and the groups of cases that can share one reply.
 *
 * A case's report type (analysis/triage/report-class.ts) is read from its
 * stored complaint the first time it is ranked and kept in report_class and
 * report_detail (migration 0008), so every way a case is written (intake,
 * analyse --save, a bundle) gets it without each writer knowing.
 */
import type { FirstLook } from '../analysis/triage/first-look';
import { headlineOf, QUEUE_CLASSES, rankCase } from '../analysis/triage/rank';
import { classifyReport, isNetworkClass, REPORT_CLASSES, type ReportClass } from '../analysis/triage/report-class';
import type { Complaint } from '../analysis/complaint/complaint';
import type { Finding } from '../analysis/detect/detector';
import { SUMMARY_COLS, toSummary, type SummaryRow } from './cases/rows';
import type { Database } from './database';
import { StoreError } from './errors';
import { parseGroup } from './intake-rows';
import type { CaseGroup, QueueClass, QueueItem, QueueOptions, QueuePage } from './intake-types';
import { pageBounds } from './search';
import { read, type StoreContext } from './transaction';
import type { Verdict } from './types';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

interface RankRow {
  id: number; status: string; verdict: Verdict | null; confidence: number | null; provisional_verdict: Verdict | null;
  provisional_confidence: number | null; headline: string | null; primary_accused: string | null; activity: string | null;
  received_at: number; window_end: number | null; report_class: ReportClass | null; report_detail: string | null;
}

const RANK_COLS = `id, status, verdict, confidence, provisional_verdict, provisional_confidence, headline, primary_accused, activity,
  received_at, window_end, report_class, report_detail`;

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

/**
 * The group key: cases with the same verdict, accused and kind can share one
 * reply. The kind is the report type, or for network abuse the activity (a
 * scan and a flood are answered apart). Network abuse groups by its effective
 * verdict (analysed, else the first look's); the other types by the analysed
 * verdict only, 'inconclusive' until then: the first look's leaning does not
 * speak for them, and their template is their type's.
 */
export function groupKey(verdict: Verdict | null, accused: string | null, activity: string | null, reportClass: ReportClass | null = null, analysed = false): string | null {
  if (!accused) return null;
  if (!isNetworkClass(reportClass)) return `${analysed && verdict ? verdict : 'inconclusive'}|${accused}|${reportClass}`;
  return verdict ? `${verdict}|${accused}|${activity ?? 'other'}` : null;
}

/** The case's report type, read from its stored complaint and kept, the first time it is ranked. */
async function reportOf(db: Database, r: RankRow): Promise<RankRow> {
  if (r.report_class && (REPORT_CLASSES as readonly string[]).includes(r.report_class)) return r;
  const row = await db.get<{ complaint_json: string }>('SELECT complaint_json FROM cases WHERE id = ?', [r.id]);
  let c: Partial<Complaint> = {};
  try { c = JSON.parse(row?.complaint_json ?? '{}') as Partial<Complaint>; } catch { /* unreadable: network abuse, as a complaint that names nothing */ }
  const rep = classifyReport({ subject: c.subject, text: typeof c.text === 'string' ? c.text : '', reportFields: c.reportFields, activity: c.activity ?? 'other', format: c.format ?? 'text' });
  await db.run('UPDATE cases SET report_class = ?, report_detail = ? WHERE id = ?', [rep.reportClass, rep.detail, r.id]);
  return { ...r, report_class: rep.reportClass, report_detail: rep.detail };
}

/** Rank these cases again (closed ones leave the queue). */
export async function rerank(db: Database, ids: Iterable<number>): Promise<void> {
  for (const id of new Set(ids)) {
    const found = await db.get<RankRow>(`SELECT ${RANK_COLS} FROM cases WHERE id = ?`, [id]);
    if (!found) continue;
    const r = await reportOf(db, found);
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
    await db.run('UPDATE cases SET rank_class = ?, rank_score = ?, rank_reason = ?, rank_repeat = ?, group_key = ? WHERE id = ?',
      [next.cls, next.score, next.reason, next.repeat, next.key, id]);
  }
}

interface NeighbourRow extends RankRow { rank_class: number | null; rank_score: number | null; rank_reason: string | null; rank_repeat: number; group_key: string | null }

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
    `SELECT ${RANK_COLS}, rank_class, rank_score, rank_reason, rank_repeat, group_key
     FROM cases WHERE primary_accused = ? AND received_at > ? AND received_at < ? ORDER BY received_at, id`,
    [me.primary_accused, me.received_at - 2 * MONTH, me.received_at + 2 * MONTH]);
  const before = (a: NeighbourRow, b: NeighbourRow): boolean => a.received_at < b.received_at || (a.received_at === b.received_at && a.id <= b.id);
  for (const found of rows) {
    if (found.id !== id && Math.abs(found.received_at - me.received_at) >= MONTH) continue;
    const r = { ...found, ...(await reportOf(db, found)) };
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
    if (next.cls !== r.rank_class || next.score !== r.rank_score || next.reason !== r.rank_reason || next.repeat !== r.rank_repeat || next.key !== r.group_key) {
      await db.run('UPDATE cases SET rank_class = ?, rank_score = ?, rank_reason = ?, rank_repeat = ?, group_key = ? WHERE id = ?',
        [next.cls, next.score, next.reason, next.repeat, next.key, r.id]);
    }
  }
}

/** The rank columns of one case, given its counts (closed: out of the queue). */
function rankOf(r: RankRow, week: number, month: number, around: number): { cls: number | null; score: number | null; reason: string | null; repeat: number; key: string | null } {
  const analysed = r.verdict !== null;
  const key = groupKey(analysed ? r.verdict : r.provisional_verdict, r.primary_accused, r.activity, r.report_class, analysed);
  if (r.status === 'closed') return { cls: null, score: null, reason: null, repeat: 0, key };
  const rank = rankCase({
    verdict: r.verdict, confidence: r.confidence, provisionalVerdict: r.provisional_verdict, provisionalConfidence: r.provisional_confidence,
    headline: r.headline, accused: r.primary_accused, reportsWeek: week || 1, reportsMonth: month || 1, reportsAround: around || 1,
    windowEnd: r.window_end, receivedAt: r.received_at, reportClass: r.report_class, reportDetail: r.report_detail,
  });
  return { cls: QUEUE_CLASSES.indexOf(rank.queueClass), score: rank.score, reason: rank.reason, repeat: rank.repeat ? 1 : 0, key };
}

/**
 * Rank every case (after a migration that changes the columns). A schema
 * older than the report-type columns is left alone: migration 0008 adds them
 * and ranks every case again, so an earlier step's call has nothing to do.
 */
export async function rerankAll(db: Database): Promise<void> {
  const cols = await db.all<{ name: string }>('PRAGMA table_info(cases)');
  if (!cols.some((c) => c.name === 'rank_repeat')) return;
  const rows = await db.all<{ id: number }>('SELECT id FROM cases');
  await rerank(db, rows.map((r) => r.id));
}

interface QueueRow extends SummaryRow {
  rank_class: number; rank_score: number; rank_reason: string; provisional_verdict: Verdict | null; provisional_confidence: number | null;
  activity: string | null; group_key: string | null;
}

/** One page of the queue, most urgent first, with the count of each class. */
export async function queuePage(ctx: StoreContext, opts: QueueOptions = {}): Promise<QueuePage> {
  const { limit, offset } = pageBounds(opts);
  const cls = opts.class === undefined ? -1 : QUEUE_CLASSES.indexOf(opts.class);
  if (opts.class !== undefined && cls < 0) throw new StoreError('invalid', `Unknown queue class "${opts.class}" (one of ${QUEUE_CLASSES.join(', ')}).`);
  return read(ctx, async () => {
    // Repeat is a view across the classes: the rows whose reason names other reports about the host.
    const repeatView = opts.class === 'repeat';
    const where = repeatView ? 'rank_class IS NOT NULL AND rank_repeat = 1' : cls >= 0 ? 'rank_class = ?' : 'rank_class IS NOT NULL';
    const rows = await ctx.db.all<QueueRow>(
      `WITH page AS (SELECT id, rank_class, rank_score, received_at FROM cases WHERE ${where}
         ORDER BY rank_class, rank_score DESC, received_at DESC, id DESC LIMIT ? OFFSET ?)
       SELECT ${SUMMARY_COLS}, c.rank_class, c.rank_score, c.rank_reason, c.provisional_verdict, c.provisional_confidence, c.activity, c.group_key
       FROM page JOIN cases c ON c.id = page.id ORDER BY page.rank_class, page.rank_score DESC, page.received_at DESC, page.id DESC`,
      [...(cls >= 0 && !repeatView ? [cls] : []), limit + 1, offset]);
    // Two index-only counts: per class from the rank index, the repeats from their own partial index.
    const countRows = await ctx.db.all<{ rank_class: number; n: number }>(
      'SELECT rank_class, count(*) AS n FROM cases WHERE rank_class IS NOT NULL GROUP BY rank_class');
    const counts = Object.fromEntries(QUEUE_CLASSES.map((c) => [c, 0])) as Record<QueueClass, number>;
    for (const r of countRows) counts[QUEUE_CLASSES[r.rank_class]] = r.n;
    counts.repeat = (await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM cases WHERE rank_class IS NOT NULL AND rank_repeat = 1'))!.n;
    const items = rows.slice(0, limit).map((r): QueueItem => ({
      ...toSummary(r), queueClass: QUEUE_CLASSES[r.rank_class], rankScore: r.rank_score, rankReason: r.rank_reason,
      provisionalVerdict: r.provisional_verdict, provisionalConfidence: r.provisional_confidence, activity: r.activity, groupKey: r.group_key,
    }));
    return { items, offset, limit, hasMore: rows.length > limit, counts };
  });
}

/** Groups of open cases sharing a group key (by default the likely false positives with two or more cases), largest first. */
export async function caseGroups(ctx: StoreContext, opts: { verdicts?: Verdict[]; minSize?: number } = {}): Promise<CaseGroup[]> {
  const verdicts = new Set(opts.verdicts ?? ['backscatter', 'legitimate']);
  const rows = await read(ctx, () => ctx.db.all<{ group_key: string; ids: string }>(
    `SELECT group_key, group_concat(id) AS ids FROM cases WHERE rank_class IS NOT NULL AND group_key IS NOT NULL
     GROUP BY group_key HAVING count(*) >= ? ORDER BY count(*) DESC, group_key`, [Math.max(1, opts.minSize ?? 2)]));
  return rows.map((r) => parseGroup(r.group_key, r.ids)).filter((g) => verdicts.has(g.verdict));
}

/** The open cases in the same group as this one (itself included), or null when it has no group. */
export async function groupOf(ctx: StoreContext, caseId: number): Promise<CaseGroup | null> {
  const me = await read(ctx, () => ctx.db.get<{ group_key: string | null }>('SELECT group_key FROM cases WHERE id = ?', [caseId]));
  if (!me) throw new StoreError('not_found', `There is no case ${caseId}.`);
  if (!me.group_key) return null;
  const rows = await read(ctx, () => ctx.db.all<{ id: number }>('SELECT id FROM cases WHERE group_key = ? AND (rank_class IS NOT NULL OR id = ?) ORDER BY id', [me.group_key, caseId]));
  return parseGroup(me.group_key, rows.map((r) => r.id).join(','));
}
