/**
 * Row mapping for cases: the SQLite rows as read, and the plain objects the
 * store hands out (CaseSummary, EvidenceRecord, AnalysisRun, DraftVersion).
 */
import type { Complaint } from '../../analysis/complaint/complaint';
import type { AnalysisResult } from '../../analysis/pipeline';
import type { Database } from '../database';
import { StoreError } from '../errors';
import type {
  AnalysisRun, AnalysisRunOptions, CaseStatus, CaseSummary, DraftVersion, EvidenceRecord, StoredComplaint, Verdict,
} from '../types';

export interface SummaryRow {
  id: number; created_at: number; updated_at: number; received_at: number; status: CaseStatus; subject: string | null;
  reporter_address: string | null; reporter_name: string | null; reporter_domain: string | null; verdict: Verdict | null;
  confidence: number | null; window_start: number | null; window_end: number | null; accused_list: string | null; tag_list: string | null; version: number;
}
export interface DetailRow extends SummaryRow {
  complaint_name: string; complaint_raw: Buffer; complaint_json: string; fingerprint: string; repeat_of: number | null; accepted_run_id: number | null;
}
export interface EvidenceRow {
  id: number; case_id: number; sha256: string; original_name: string; size: number; format: string | null; first_ts: number | null;
  last_ts: number | null; attached_at: number; last_verified_at: number | null; last_verified_ok: number | null;
  /** Migration 0006: taken out of the case (kept for custody), left out of the next run. */
  removed_at: number | null; excluded: number;
}
export interface RunRow {
  id: number; case_id: number; created_at: number; engine_version: string; schema_version: number; verdict: Verdict;
  confidence: number; duration_ms: number; options_json: string; result_json: string;
}
export interface DraftRow { id: number; case_id: number; version: number; subject: string; body: string; origin: 'generated' | 'edited'; run_id: number | null; created_at: number; sent_at: number | null }
export interface NoteRow { id: number; case_id: number; body: string; created_at: number }
export interface AuditRow { id: number; case_id: number; at: number; action: string; detail: string; operator: string | null }

/**
 * The summary columns. string_agg with a newline literal is SQL both SQLite
 * (3.44+) and PostgreSQL accept; the lists are sorted in toSummary, since
 * neither promises an order (SQLite's came in key order, which is the sort).
 */
export const SUMMARY_COLS = `c.id, c.created_at, c.updated_at, c.received_at, c.status, c.subject, c.reporter_address, c.reporter_name,
  c.reporter_domain, c.verdict, c.confidence, c.window_start, c.window_end, c.version,
  (SELECT string_agg(address, '\n') FROM case_addresses a WHERE a.case_id = c.id AND a.role = 'accused') AS accused_list,
  (SELECT string_agg(tag, '\n') FROM tags t WHERE t.case_id = c.id) AS tag_list`;

const splitList = (s: string | null): string[] => (s ? s.split('\n') : []);

export function toSummary(r: SummaryRow): CaseSummary {
  return {
    id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, receivedAt: r.received_at, status: r.status, subject: r.subject,
    reporterAddress: r.reporter_address, reporterName: r.reporter_name, reporterDomain: r.reporter_domain, accused: splitList(r.accused_list).sort(),
    verdict: r.verdict, confidence: r.confidence, tags: splitList(r.tag_list).sort(), windowStart: r.window_start, windowEnd: r.window_end,
    version: r.version,
  };
}

export function toEvidence(r: EvidenceRow, custody: EvidenceRecord['custody'], actualSha256?: string): EvidenceRecord {
  return {
    id: r.id, caseId: r.case_id, sha256: r.sha256, originalName: r.original_name, size: r.size, format: r.format, firstTs: r.first_ts,
    lastTs: r.last_ts, attachedAt: r.attached_at, custody, lastVerifiedAt: r.last_verified_at,
    lastVerifiedOk: r.last_verified_ok === null ? null : r.last_verified_ok === 1,
    removedAt: r.removed_at ?? null, excluded: r.excluded === 1, ...(actualSha256 ? { actualSha256 } : {}),
  };
}

export function toRun(r: RunRow): AnalysisRun {
  return {
    id: r.id, caseId: r.case_id, createdAt: r.created_at, engineVersion: r.engine_version, schemaVersion: r.schema_version, verdict: r.verdict,
    confidence: r.confidence, durationMs: r.duration_ms, options: JSON.parse(r.options_json) as AnalysisRunOptions,
    result: JSON.parse(r.result_json) as AnalysisResult,
  };
}

export function toDraft(r: DraftRow): DraftVersion {
  return { id: r.id, caseId: r.case_id, version: r.version, subject: r.subject, body: r.body, origin: r.origin, runId: r.run_id, createdAt: r.created_at, sentAt: r.sent_at };
}

/** The complaint as understood, without attachment bytes and parsed quoted events (plain JSON). */
export function storedComplaint(c: Complaint): StoredComplaint {
  const { attachments, quotedEvents, ...rest } = c;
  return { ...rest, attachments: attachments.map((a) => a.filename), quotedLines: quotedEvents.length };
}

/** The time window the complaint's own times span, in ms. */
export function complaintWindow(c: { times?: Array<{ ts: number }> }, quotedTs: number[]): { start: number | null; end: number | null } {
  const ts = [...(c.times ?? []).map((t) => t.ts), ...quotedTs].filter(Number.isFinite).map((us) => Math.round(us / 1000));
  if (!ts.length) return { start: null, end: null };
  return { start: Math.min(...ts), end: Math.max(...ts) };
}

export function reporterDomain(address: string | undefined): string | null {
  const at = address?.lastIndexOf('@') ?? -1;
  return at >= 0 ? address!.slice(at + 1).toLowerCase().replace(/[>\s]+$/, '') || null : null;
}

export const toBytes = (raw: Uint8Array | string): Buffer => (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));

/** Longest a complaint's time window may be and still be found by the overlap query (related cases). */
export const MAX_WINDOW_MS = 30 * 86_400_000;

export async function summaryOf(db: Database, id: number): Promise<CaseSummary | undefined> {
  const row = await db.get<SummaryRow>(`SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id = ?`, [id]);
  return row && toSummary(row);
}

export async function tagsOf(tx: Database, caseId: number): Promise<string[]> {
  return (await tx.all<{ tag: string }>('SELECT tag FROM tags WHERE case_id = ? ORDER BY tag', [caseId])).map((r) => r.tag);
}

export async function draftById(tx: Database, id: number): Promise<DraftVersion> {
  return toDraft((await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [id]))!);
}

export async function runById(tx: Database, id: number): Promise<AnalysisRun> {
  return toRun((await tx.get<RunRow>('SELECT * FROM analysis_runs WHERE id = ?', [id]))!);
}

/** The error a custody problem raises: every file that no longer matches, named, and what to do. */
export function custodyError(caseId: number, bad: EvidenceRecord[]): StoreError {
  const missing = bad.filter((e) => e.custody === 'missing');
  const lines = bad.map((e) => e.custody === 'missing'
    ? `  ${e.originalName}: MISSING from the data folder (recorded SHA-256 ${e.sha256})`
    : `  ${e.originalName}: recorded SHA-256 ${e.sha256}, now ${e.actualSha256}`);
  return new StoreError(missing.length === bad.length ? 'evidence_missing' : 'custody_mismatch',
    `CHAIN OF CUSTODY BROKEN for case ${caseId}: ${bad.length} evidence file${bad.length === 1 ? '' : 's'} no longer match${bad.length === 1 ? 'es' : ''} what was attached.\n${lines.join('\n')}\nDo not rely on this evidence; attach the original files again.`);
}
