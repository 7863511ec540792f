/**
 * Case writes: a new complaint (or the case that holds it already), evidence,
 * runs, drafts, status, tags and notes, one at a time or in bulk. Each
 * operation is one transaction; see CaseStore for the contract.
 */
import { CASE_FIELD_LIMITS, caseTag } from '../../analysis/case-fields';
import { basename } from 'node:path';
import type { AnalysisResult } from '../../analysis/pipeline';
import { StoreError } from '../errors';
import { complaintFingerprint } from '../fingerprint';
import type { BulkResult } from '../intake-types';
import { headlineFor, rerankAround } from '../queue';
import { latestWithComplaint, weakerThan, type JoinOpen } from '../repeats';
import { assertWritable, commitWindow, mustExist, read, write, type StoreContext } from '../transaction';
import { PendingBlobs } from '../vault-gc';
import {
  CASE_STATUSES,
  type AnalysisRun, type AnalysisRunOptions, type AnalyzeFn, type CaseStatus, type CaseSummary, type DraftVersion, type EvidenceRecord,
  type NewCaseInput, type NewDraftInput, type Note, type Verdict,
} from '../types';
import { assertVersion } from './versions';
import { inRun } from './evidence-set';
import { audit, changeStatus, createOrFindIn, insertDraft, insertEvidence, insertRun } from './insert';
import { getCase, verifyEvidence } from './reads';
import { custodyError, draftById, runById, summaryOf, tagsOf, toEvidence, type DraftRow, type EvidenceRow, type RunRow } from './rows';

/** Evidence to attach: a path, optionally with the name to record (defaults to the file's base name). */
export type EvidenceInput = string | { path: string; originalName?: string };

/** Everything `analyze --save` (or the app's Save) stores, in one transaction. */
export interface SaveAnalysisInput extends NewCaseInput {
  evidence: EvidenceInput[];
  result: AnalysisResult;
  durationMs: number;
  options?: AnalysisRunOptions;
  /**
   * Whether a repeat of an OPEN case joins it (see repeats.ts): 'join' (the
   * default, for callers whose command is the confirmation, like the CLI),
   * only `{caseId}` (the case the operator confirmed), or 'never' (a new case
   * linked to it). A replied or closed case is never joined.
   */
  joinOpen?: JoinOpen;
  /** The result's reply once the case's id is known (the operator's stored template filled for the case); absent: the engine's draft. */
  draftFor?: (caseId: number) => { subject: string; body: string };
}

export interface SaveAnalysisResult {
  case: CaseSummary;
  /** True when the complaint was already stored: the run and draft were added to that case. */
  existed: boolean;
  /** The earlier case with the same complaint that this new case repeats, or null. */
  repeatOf: number | null;
  run: AnalysisRun;
  /** False when the run was kept but not made the headline (weaker evidence than the accepted run). */
  accepted: boolean;
  /** The generated draft (the latest one, unchanged, when a re-submission produced the same text). */
  draft: DraftVersion;
}

const pathOf = (e: EvidenceInput): { path: string; originalName?: string } => (typeof e === 'string' ? { path: e } : e);

/** The app's tag schema (analysis/case-fields.ts): what the contract accepts and a bundle may carry. */
function validTag(tag: string): string {
  const t = caseTag.safeParse(tag);
  if (!t.success) throw new StoreError('invalid', `A tag is 1 to ${CASE_FIELD_LIMITS.tagChars} characters, without control characters.`);
  return t.data;
}

function validStatus(status: CaseStatus): void {
  if (!CASE_STATUSES.includes(status)) throw new StoreError('invalid', `Unknown status "${status}" (one of ${CASE_STATUSES.join(', ')}).`);
}

export async function createOrFindCase(ctx: StoreContext, input: NewCaseInput): Promise<{ case: CaseSummary; existed: boolean; repeatOf: number | null }> {
  return write(ctx, async (tx) => {
    const r = await createOrFindIn(ctx, tx, input, 'join');
    if (!r.existed) await rerankAround(tx, r.id);
    return { case: (await summaryOf(tx, r.id))!, existed: r.existed, repeatOf: r.repeatOf };
  });
}

export async function findDuplicate(ctx: StoreContext, complaintRaw: Uint8Array | string): Promise<{ id: number; status: CaseStatus } | null> {
  return read(ctx, async () => (await latestWithComplaint(ctx.db, complaintFingerprint(complaintRaw))) ?? null);
}

/**
 * The vault copies an operation makes are journaled (vault-gc.ts): copied
 * before its transaction, a copy whose row never commits (a failure, a kill
 * between the copy and COMMIT) is removed when the operation ends, or when
 * the store is next opened after a crash.
 */
async function withPending<T>(ctx: StoreContext, op: (pending: PendingBlobs) => Promise<T>): Promise<T> {
  const pending = new PendingBlobs(ctx.vault);
  try {
    return await op(pending);
  } finally {
    await pending.settle(ctx.db).catch(() => undefined);
  }
}

export async function attachEvidence(ctx: StoreContext, caseId: number, evidence: EvidenceInput, meta: { format?: string; firstTs?: number; lastTs?: number } = {}): Promise<EvidenceRecord> {
  assertWritable(ctx);
  const { path, originalName } = pathOf(evidence);
  return withPending(ctx, async (pending) => {
    const blob = await ctx.vault.putFile(path, pending);
    return write(ctx, async (tx) => {
      await mustExist(tx, caseId);
      const id = await insertEvidence(ctx, tx, caseId, blob.sha256, originalName ?? basename(path), blob.size, meta);
      const row = (await tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]))!;
      await commitWindow('attach');
      return toEvidence(row, 'verified');
    });
  });
}

export async function recordAnalysis(ctx: StoreContext, caseId: number, result: AnalysisResult, durationMs: number, options: AnalysisRunOptions = {}): Promise<AnalysisRun> {
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    return runById(tx, await insertRun(ctx, tx, caseId, result, durationMs, options));
  });
}

export async function acceptRun(ctx: StoreContext, caseId: number, runId: number): Promise<CaseSummary> {
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    const r = await tx.get<RunRow>('SELECT * FROM analysis_runs WHERE id = ? AND case_id = ?', [runId, caseId]);
    if (!r) throw new StoreError('not_found', `Case ${caseId} has no run ${runId}.`);
    const result = JSON.parse(r.result_json) as AnalysisResult;
    await tx.run('UPDATE cases SET verdict = ?, confidence = ?, headline = coalesce(?, headline), accepted_run_id = ? WHERE id = ?',
      [r.verdict, r.confidence, headlineFor(result.findings ?? [], r.verdict), r.id, caseId]);
    await audit(ctx, tx, caseId, 'run_accepted', `run ${r.id} accepted: ${r.verdict} (confidence ${r.confidence.toFixed(2)}) is the case's verdict`);
    await rerankAround(tx, caseId);
    return (await summaryOf(tx, caseId))!;
  });
}

export async function saveDraft(ctx: StoreContext, caseId: number, draft: NewDraftInput): Promise<DraftVersion> {
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    return draftById(tx, await insertDraft(ctx, tx, caseId, draft));
  });
}

export async function markDraftSent(ctx: StoreContext, draftId: number): Promise<DraftVersion> {
  return write(ctx, async (tx) => {
    const d = await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [draftId]);
    if (!d) throw new StoreError('not_found', `There is no draft ${draftId}.`);
    if (d.sent_at === null) {
      const at = ctx.now();
      await tx.run('UPDATE drafts SET sent_at = ? WHERE id = ?', [at, draftId]);
      await audit(ctx, tx, d.case_id, 'draft_sent', `draft version ${d.version} marked sent`);
      const c = (await tx.get<{ status: CaseStatus }>('SELECT status FROM cases WHERE id = ?', [d.case_id]))!;
      if (c.status === 'new' || c.status === 'analysed') await changeStatus(ctx, tx, d.case_id, c.status, 'replied');
    }
    return draftById(tx, draftId);
  });
}

/**
 * Set a case's status. With `expectedVersion` (the version the operator's
 * view showed), a case changed since then is not touched: StoreError
 * 'conflict' names who changed it, when and how, so nobody's update is lost.
 */
export async function setStatus(ctx: StoreContext, caseId: number, status: CaseStatus, opts: { expectedVersion?: number } = {}): Promise<CaseSummary> {
  validStatus(status);
  return write(ctx, async (tx) => {
    const c = await mustExist(tx, caseId);
    if (opts.expectedVersion !== undefined) await assertVersion(tx, caseId, opts.expectedVersion, `set it to ${status}`);
    if (c.status !== status) await changeStatus(ctx, tx, caseId, c.status, status);
    return (await summaryOf(tx, caseId))!;
  });
}

export async function addTag(ctx: StoreContext, caseId: number, tag: string): Promise<string[]> {
  const t = validTag(tag);
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    const r = await tx.run('INSERT INTO tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING', [caseId, t]);
    if (r.changes) await audit(ctx, tx, caseId, 'tag_added', `tag "${t}" added`);
    return tagsOf(tx, caseId);
  });
}

export async function removeTag(ctx: StoreContext, caseId: number, tag: string): Promise<string[]> {
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    const r = await tx.run('DELETE FROM tags WHERE case_id = ? AND tag = ?', [caseId, tag.trim()]);
    if (r.changes) await audit(ctx, tx, caseId, 'tag_removed', `tag "${tag.trim()}" removed`);
    return tagsOf(tx, caseId);
  });
}

export async function addNote(ctx: StoreContext, caseId: number, body: string): Promise<Note> {
  if (!body.trim()) throw new StoreError('invalid', 'A note cannot be empty.');
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    const at = ctx.now();
    const { lastID } = await tx.run('INSERT INTO notes (case_id, body, created_at) VALUES (?, ?, ?)', [caseId, body, at]);
    await audit(ctx, tx, caseId, 'note_added', `note added (${body.length} characters)`);
    return { id: lastID, caseId, body, createdAt: at };
  });
}

export async function saveAnalysis(ctx: StoreContext, input: SaveAnalysisInput): Promise<SaveAnalysisResult> {
  assertWritable(ctx);
  return withPending(ctx, (pending) => saveAnalysisWith(ctx, input, pending));
}

async function saveAnalysisWith(ctx: StoreContext, input: SaveAnalysisInput, pending: PendingBlobs): Promise<SaveAnalysisResult> {
  const blobs: Array<{ sha256: string; size: number; name: string }> = [];
  for (const ev of input.evidence) {
    const { path, originalName } = pathOf(ev);
    const blob = await ctx.vault.putFile(path, pending);
    blobs.push({ ...blob, name: originalName ?? basename(path) });
  }
  return write(ctx, async (tx) => {
    const { id, existed, repeatOf } = await createOrFindIn(ctx, tx, input, input.joinOpen ?? 'join');
    // The run keeps the reply as the window shows it, so a reopened run reads the same.
    const result = input.draftFor ? { ...input.result, draft: input.draftFor(id) } : input.result;
    for (const b of blobs) await insertEvidence(ctx, tx, id, b.sha256, b.name, b.size, {});
    // A confirmed repeat's run replaces the headline only when its evidence is not weaker than the accepted run's.
    const current = existed ? await tx.get<{ verdict: Verdict; confidence: number }>(
      'SELECT r.verdict, r.confidence FROM cases c JOIN analysis_runs r ON r.id = c.accepted_run_id WHERE c.id = ?', [id]) : undefined;
    const accepted = !weakerThan(result, current);
    const runId = await insertRun(ctx, tx, id, result, input.durationMs, input.options ?? {}, undefined, accepted);
    if (!accepted) {
      await audit(ctx, tx, id, 'run_not_accepted', `the repeat's run (${result.verdict}, confidence ${result.confidence.toFixed(2)}) is kept but `
        + `does not replace the accepted verdict ${current!.verdict} (${current!.confidence.toFixed(2)}): accept it on the case to make it the headline`);
    }
    // A re-submitted complaint whose reply came out the same keeps its latest draft rather than a copy.
    const latest = await tx.get<DraftRow>('SELECT * FROM drafts WHERE case_id = ? ORDER BY version DESC LIMIT 1', [id]);
    const draftId = latest && latest.subject === result.draft.subject && latest.body === result.draft.body
      ? latest.id
      : await insertDraft(ctx, tx, id, { ...result.draft, origin: 'generated', runId });
    await commitWindow('save');
    return {
      case: (await summaryOf(tx, id))!,
      existed,
      repeatOf,
      run: await runById(tx, runId),
      accepted,
      draft: await draftById(tx, draftId),
    };
  });
}

export async function reanalyze(ctx: StoreContext, caseId: number, analyze: AnalyzeFn): Promise<{ run: AnalysisRun; draft: DraftVersion | null }> {
  assertWritable(ctx);
  const detail = await getCase(ctx, caseId);
  // Only the files still in the case and not excluded are read (and must pass the custody check).
  const checked = (await verifyEvidence(ctx, caseId)).filter(inRun);
  const bad = checked.filter((e) => e.custody !== 'verified');
  if (bad.length) throw custodyError(caseId, bad);
  const raw = await read(ctx, () => ctx.db.get<{ complaint_raw: Buffer }>('SELECT complaint_raw FROM cases WHERE id = ?', [caseId]));
  const options = detail.runs.at(-1)?.options ?? {};
  const t0 = performance.now();
  const result = await analyze({
    complaintRaw: new Uint8Array(raw!.complaint_raw),
    complaintName: detail.complaintName,
    evidence: checked.map((e) => ({ path: ctx.vault.pathOf(e.sha256), originalName: e.originalName, sha256: e.sha256 })),
    options,
  });
  const durationMs = Math.round((performance.now() - t0) * 10) / 10;
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    const runId = await insertRun(ctx, tx, caseId, result, durationMs, options, detail.runs.at(-1));
    const latest = await tx.get<DraftRow>('SELECT * FROM drafts WHERE case_id = ? ORDER BY version DESC LIMIT 1', [caseId]);
    let draft: DraftVersion | null = null;
    if (!latest || latest.subject !== result.draft.subject || latest.body !== result.draft.body) {
      draft = await draftById(tx, await insertDraft(ctx, tx, caseId, { ...result.draft, origin: 'generated', runId }));
    }
    return { run: await runById(tx, runId), draft };
  });
}

export async function setStatusMany(ctx: StoreContext, caseIds: number[], status: CaseStatus): Promise<BulkResult> {
  validStatus(status);
  return write(ctx, async (tx) => {
    const out: BulkResult = { changed: [], unchanged: [] };
    for (const id of new Set(caseIds)) {
      const c = await mustExist(tx, id);
      if (c.status === status) { out.unchanged.push(id); continue; }
      await changeStatus(ctx, tx, id, c.status, status);
      out.changed.push(id);
    }
    return out;
  });
}

export async function addTagMany(ctx: StoreContext, caseIds: number[], tag: string): Promise<BulkResult> {
  const t = validTag(tag);
  return write(ctx, async (tx) => {
    const out: BulkResult = { changed: [], unchanged: [] };
    for (const id of new Set(caseIds)) {
      await mustExist(tx, id);
      const r = await tx.run('INSERT INTO tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING', [id, t]);
      if (!r.changes) { out.unchanged.push(id); continue; }
      await audit(ctx, tx, id, 'tag_added', `tag "${t}" added (bulk, ${caseIds.length} cases)`);
      out.changed.push(id);
    }
    return out;
  });
}

export async function removeTagMany(ctx: StoreContext, caseIds: number[], tag: string): Promise<BulkResult> {
  const t = tag.trim();
  return write(ctx, async (tx) => {
    const out: BulkResult = { changed: [], unchanged: [] };
    for (const id of new Set(caseIds)) {
      await mustExist(tx, id);
      const r = await tx.run('DELETE FROM tags WHERE case_id = ? AND tag = ?', [id, t]);
      if (!r.changes) { out.unchanged.push(id); continue; }
      await audit(ctx, tx, id, 'tag_removed', `tag "${t}" removed (bulk, ${caseIds.length} cases)`);
      out.changed.push(id);
    }
    return out;
  });
}
