/**
 * The case history: every complaint, its evidence, analysis runs, draft
 * versions, notes and audit trail, in SQLite (DATA/cases.sqlite) with the
 * evidence files content-addressed in DATA/evidence/.
 *
 * Used by the CLI, `serve` and Electron main alike: it must not import
 * electron. Every method either succeeds or throws a StoreError (see
 * errors.ts) whose message can be shown to the operator as is; a failed write
 * changes nothing (one transaction per operation), so the UI keeps the
 * operator's work on screen and may simply retry.
 *
 * One CaseStore per data folder per process; several processes may open the
 * same folder (WAL, busy timeout), but writes are serialised.
 */
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import type { Complaint } from '../analysis/complaint/complaint';
import type { AnalysisResult } from '../analysis/pipeline';
import type { FirstLook } from '../analysis/triage/first-look';
import { normaliseMessageId, threadKey } from '../analysis/triage/normalise';
import { QUEUE_CLASSES } from '../analysis/triage/rank';
import { addressKey, canonicalAddress, cidrKeyRange } from './address-key';
import {
  BUNDLE_FORMAT, BUNDLE_VERSION, draftMarkdown, listTar, manifestSchema, readTarEntry, safeEntryName, tarEntryStream, writeTar,
  type BundleManifest, type TarEntryIn,
} from './bundle';
import { Database } from './database';
import { fillGroupDrafts, type FilledGroupDraft } from './group-reply';
import { StoreError, toStoreError } from './errors';
import { EvidenceVault } from './evidence-vault';
import { complaintFingerprint } from './fingerprint';
import { joinsEarlier, latestWithComplaint, repeatFingerprint, weakerThan, type JoinOpen } from './repeats';
import { migrate } from './migrations/index';
import { findStoredMessage, intakeSourceLocation, intakeSourceName, MESSAGE_COLS, parseGroup, rawComplaint, toMessage, type MessageRow } from './intake-rows';
import { firstLookColumns, headlineFor, rerank, rerankAround } from './queue';
import type {
  BulkResult, CaseGroup, GroupReplyResult, IntakeAction, IntakeMessageInput, IntakeOutcome, QueueClass, QueueItem, QueueOptions, QueuePage,
  ReplyTemplate, StoredImapCursor, StoredMessage,
} from './intake-types';
import { COUNT_ACCUSED_SQL, filterSql, ftsQuery, MANY_ACCUSED, pageBounds, reverseDomain } from './search';
import {
  CASE_STATUSES,
  type AnalysisRun, type AnalysisRunOptions, type AnalyzeFn, type AuditEntry, type BackupResult, type CaseDetail, type CaseFilters,
  type CaseStatus, type CaseSummary, type DraftVersion, type EvidenceRecord, type HostHistory, type ImportResult, type NewCaseInput,
  type NewDraftInput, type Note, type Page, type RelatedCase, type RelationReason, type SearchHit, type StoredComplaint, type Verdict,
} from './types';

export * from './types';
export type * from './intake-types';
export { StoreError } from './errors';
export type { StoreErrorCode } from './errors';

export const DATABASE_FILE = 'cases.sqlite';
export const EVIDENCE_DIR = 'evidence';

export interface CaseStoreOptions {
  /** Open for reading only (browsing a backup, a read-only share). */
  readOnly?: boolean;
  /** Test hook: cap the database size to provoke SQLITE_FULL. */
  maxPageCount?: number;
  /** Clock, for tests (ms since epoch). */
  now?: () => number;
}

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

export interface SearchOptions extends CaseFilters {
  /** 'newest' (default: most recently created first; fastest) or 'relevance' (BM25). */
  order?: 'newest' | 'relevance';
}

// ---- rows -------------------------------------------------------------------

interface SummaryRow {
  id: number; created_at: number; updated_at: number; received_at: number; status: CaseStatus; subject: string | null;
  reporter_address: string | null; reporter_name: string | null; reporter_domain: string | null; verdict: Verdict | null;
  confidence: number | null; window_start: number | null; window_end: number | null; accused_list: string | null; tag_list: string | null;
}
interface DetailRow extends SummaryRow {
  complaint_name: string; complaint_raw: Buffer; complaint_json: string; fingerprint: string; repeat_of: number | null; accepted_run_id: number | null;
}
interface EvidenceRow {
  id: number; case_id: number; sha256: string; original_name: string; size: number; format: string | null; first_ts: number | null;
  last_ts: number | null; attached_at: number; last_verified_at: number | null; last_verified_ok: number | null;
}
interface RunRow {
  id: number; case_id: number; created_at: number; engine_version: string; schema_version: number; verdict: Verdict;
  confidence: number; duration_ms: number; options_json: string; result_json: string;
}
interface DraftRow { id: number; case_id: number; version: number; subject: string; body: string; origin: 'generated' | 'edited'; run_id: number | null; created_at: number; sent_at: number | null }
interface NoteRow { id: number; case_id: number; body: string; created_at: number }
interface AuditRow { id: number; case_id: number; at: number; action: string; detail: string }
interface PreparedIntake {
  input: IntakeMessageInput; raw: Buffer; rawSha256: string; messageId: string | undefined; warnings: string[];
  /** Set when the message is stored already. */
  stored?: { id: number; case_id: number };
  complaint?: Complaint;
  blobs: Array<{ sha256: string; size: number; name: string }>;
}
interface QueueRow extends SummaryRow {
  rank_class: number; rank_score: number; rank_reason: string; provisional_verdict: Verdict | null; provisional_confidence: number | null;
  activity: string | null; group_key: string | null;
}

const SUMMARY_COLS = `c.id, c.created_at, c.updated_at, c.received_at, c.status, c.subject, c.reporter_address, c.reporter_name,
  c.reporter_domain, c.verdict, c.confidence, c.window_start, c.window_end,
  (SELECT group_concat(address, char(10)) FROM case_addresses a WHERE a.case_id = c.id AND a.role = 'accused') AS accused_list,
  (SELECT group_concat(tag, char(10)) FROM tags t WHERE t.case_id = c.id) AS tag_list`;

const splitList = (s: string | null): string[] => (s ? s.split('\n') : []);

function toSummary(r: SummaryRow): CaseSummary {
  return {
    id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, receivedAt: r.received_at, status: r.status, subject: r.subject,
    reporterAddress: r.reporter_address, reporterName: r.reporter_name, reporterDomain: r.reporter_domain, accused: splitList(r.accused_list),
    verdict: r.verdict, confidence: r.confidence, tags: splitList(r.tag_list).sort(), windowStart: r.window_start, windowEnd: r.window_end,
  };
}

function toEvidence(r: EvidenceRow, custody: EvidenceRecord['custody'], actualSha256?: string): EvidenceRecord {
  return {
    id: r.id, caseId: r.case_id, sha256: r.sha256, originalName: r.original_name, size: r.size, format: r.format, firstTs: r.first_ts,
    lastTs: r.last_ts, attachedAt: r.attached_at, custody, lastVerifiedAt: r.last_verified_at,
    lastVerifiedOk: r.last_verified_ok === null ? null : r.last_verified_ok === 1, ...(actualSha256 ? { actualSha256 } : {}),
  };
}

function toRun(r: RunRow): AnalysisRun {
  return {
    id: r.id, caseId: r.case_id, createdAt: r.created_at, engineVersion: r.engine_version, schemaVersion: r.schema_version, verdict: r.verdict,
    confidence: r.confidence, durationMs: r.duration_ms, options: JSON.parse(r.options_json) as AnalysisRunOptions,
    result: JSON.parse(r.result_json) as AnalysisResult,
  };
}

function toDraft(r: DraftRow): DraftVersion {
  return { id: r.id, caseId: r.case_id, version: r.version, subject: r.subject, body: r.body, origin: r.origin, runId: r.run_id, createdAt: r.created_at, sentAt: r.sent_at };
}

/** The complaint as understood, without attachment bytes and parsed quoted events (plain JSON). */
export function storedComplaint(c: Complaint): StoredComplaint {
  const { attachments, quotedEvents, ...rest } = c;
  return { ...rest, attachments: attachments.map((a) => a.filename), quotedLines: quotedEvents.length };
}

/** The time window the complaint's own times span, in ms. */
function complaintWindow(c: { times?: Array<{ ts: number }> }, quotedTs: number[]): { start: number | null; end: number | null } {
  const ts = [...(c.times ?? []).map((t) => t.ts), ...quotedTs].filter(Number.isFinite).map((us) => Math.round(us / 1000));
  if (!ts.length) return { start: null, end: null };
  return { start: Math.min(...ts), end: Math.max(...ts) };
}

function reporterDomain(address: string | undefined): string | null {
  const at = address?.lastIndexOf('@') ?? -1;
  return at >= 0 ? address!.slice(at + 1).toLowerCase().replace(/[>\s]+$/, '') || null : null;
}

const toBytes = (raw: Uint8Array | string): Buffer => (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));

/** Longest a complaint's time window may be and still be found by the overlap query (related cases). */
const MAX_WINDOW_MS = 30 * 86_400_000;

interface CaseRowInput {
  createdAt: number; updatedAt: number; receivedAt: number; status: CaseStatus; fingerprint: string; complaintName: string;
  complaintRaw: Buffer; complaint: StoredComplaint; windowStart: number | null; windowEnd: number | null;
  accused: string[]; targets: string[]; tags: string[];
}

export class CaseStore {
  private readonly now: () => number;

  private constructor(
    /** The data folder (absolute). */
    readonly dataDir: string,
    private readonly db: Database,
    private readonly vault: EvidenceVault,
    /** Why the store is read-only, when it is (every write then throws StoreError 'read_only'). */
    readonly readOnlyReason: string | undefined,
    opts: CaseStoreOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** True when writes are impossible (opened read-only, or the folder or disk is read-only). */
  get readOnly(): boolean {
    return this.readOnlyReason !== undefined;
  }

  /**
   * Open (creating and migrating as needed) the store in `dataDir`:
   * DATA/cases.sqlite and DATA/evidence/. When the folder cannot be written but
   * the database exists, the store opens read-only (browsing still works) and
   * `readOnlyReason` says why; when it does not exist, throws 'read_only'.
   */
  static async open(dataDir: string, opts: CaseStoreOptions = {}): Promise<CaseStore> {
    const dir = resolve(dataDir);
    const dbFile = join(dir, DATABASE_FILE);
    const vault = new EvidenceVault(join(dir, EVIDENCE_DIR));
    if (!opts.readOnly) {
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await vault.init();
        const db = await Database.open(dbFile, { maxPageCount: opts.maxPageCount });
        try {
          await migrate(db);
        } catch (e) {
          await db.close().catch(() => undefined);
          throw e;
        }
        return new CaseStore(dir, db, vault, undefined, opts);
      } catch (e) {
        const err = toStoreError(e, dir);
        if (err.code !== 'read_only' || !existsSync(dbFile)) throw err;
        const reason = `The case store in ${dir} is read-only (${(err.cause as { code?: string } | undefined)?.code ?? 'not writable'}): cases can be read but not saved or changed. Nothing was lost from the screen.`;
        return new CaseStore(dir, await openReadOnly(dbFile), vault, reason, opts);
      }
    }
    if (!existsSync(dbFile)) throw new StoreError('not_found', `There is no case store in ${dir}.`);
    return new CaseStore(dir, await openReadOnly(dbFile), vault, `The case store in ${dir} was opened read-only.`, opts);
  }

  /** Wait for pending writes and close the database. */
  async close(): Promise<void> {
    await this.db.close();
  }

  // ---- writing --------------------------------------------------------------

  /**
   * Store a new complaint, or find the case that already holds the same
   * complaint (same normalised text: see fingerprint.ts). A duplicate adds an
   * audit line to the existing case and changes nothing else.
   */
  async createOrFindCase(input: NewCaseInput): Promise<{ case: CaseSummary; existed: boolean; repeatOf: number | null }> {
    return this.write(async (tx) => {
      const r = await this.createOrFindIn(tx, input, 'join');
      if (!r.existed) await rerankAround(tx, r.id);
      return { case: (await this.summaryOf(r.id, tx))!, existed: r.existed, repeatOf: r.repeatOf };
    });
  }

  /** The latest case holding this complaint (same normalised text), or null; a repeat joins it only while it is open. */
  async findDuplicate(complaintRaw: Uint8Array | string): Promise<{ id: number; status: CaseStatus } | null> {
    return this.read(async () => (await latestWithComplaint(this.db, complaintFingerprint(complaintRaw))) ?? null);
  }

  /**
   * Copy an evidence file into the vault (SHA-256 computed while copying) and
   * attach it to the case. Attaching the same content twice returns the record
   * already there. `meta` fills format and time span when known.
   */
  async attachEvidence(caseId: number, evidence: EvidenceInput, meta: { format?: string; firstTs?: number; lastTs?: number } = {}): Promise<EvidenceRecord> {
    this.assertWritable();
    const { path, originalName } = typeof evidence === 'string' ? { path: evidence, originalName: undefined } : evidence;
    const blob = await this.vault.putFile(path);
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const id = await this.insertEvidence(tx, caseId, blob.sha256, originalName ?? basename(path), blob.size, meta);
      const row = (await tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]))!;
      return toEvidence(row, 'verified');
    });
  }

  /**
   * Record one analysis run (the result is kept whole, as JSON). Updates the
   * case's verdict, moves 'new' to 'analysed', adds the accused addresses the
   * analysis settled on, and fills format/time span of evidence it read.
   */
  async recordAnalysis(caseId: number, result: AnalysisResult, durationMs: number, options: AnalysisRunOptions = {}): Promise<AnalysisRun> {
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const runId = await this.insertRun(tx, caseId, result, durationMs, options);
      return toRun((await tx.get<RunRow>('SELECT * FROM analysis_runs WHERE id = ?', [runId]))!);
    });
  }

  /** Make this run the case's headline verdict (the operator accepted it, e.g. a repeat's run kept aside as weaker). */
  async acceptRun(caseId: number, runId: number): Promise<CaseSummary> {
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const r = await tx.get<RunRow>('SELECT * FROM analysis_runs WHERE id = ? AND case_id = ?', [runId, caseId]);
      if (!r) throw new StoreError('not_found', `Case ${caseId} has no run ${runId}.`);
      const result = JSON.parse(r.result_json) as AnalysisResult;
      await tx.run('UPDATE cases SET verdict = ?, confidence = ?, headline = coalesce(?, headline), accepted_run_id = ? WHERE id = ?',
        [r.verdict, r.confidence, headlineFor(result.findings ?? [], r.verdict), r.id, caseId]);
      await this.audit(tx, caseId, 'run_accepted', `run ${r.id} accepted: ${r.verdict} (confidence ${r.confidence.toFixed(2)}) is the case's verdict`);
      await rerankAround(tx, caseId);
      return (await this.summaryOf(caseId, tx))!;
    });
  }

  /** Save a new draft version (version numbers count up per case; old versions are kept). */
  async saveDraft(caseId: number, draft: NewDraftInput): Promise<DraftVersion> {
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const id = await this.insertDraft(tx, caseId, draft);
      return toDraft((await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [id]))!);
    });
  }

  /** Mark a draft version as sent (the case becomes 'replied' unless it is 'closed'). */
  async markDraftSent(draftId: number): Promise<DraftVersion> {
    return this.write(async (tx) => {
      const d = await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [draftId]);
      if (!d) throw new StoreError('not_found', `There is no draft ${draftId}.`);
      if (d.sent_at === null) {
        const at = this.now();
        await tx.run('UPDATE drafts SET sent_at = ? WHERE id = ?', [at, draftId]);
        await this.audit(tx, d.case_id, 'draft_sent', `draft version ${d.version} marked sent`);
        const c = (await tx.get<{ status: CaseStatus }>('SELECT status FROM cases WHERE id = ?', [d.case_id]))!;
        if (c.status === 'new' || c.status === 'analysed') await this.changeStatus(tx, d.case_id, c.status, 'replied');
      }
      return toDraft((await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [draftId]))!);
    });
  }

  async setStatus(caseId: number, status: CaseStatus): Promise<CaseSummary> {
    if (!CASE_STATUSES.includes(status)) throw new StoreError('invalid', `Unknown status "${status}" (one of ${CASE_STATUSES.join(', ')}).`);
    return this.write(async (tx) => {
      const c = await this.mustExist(tx, caseId);
      if (c.status !== status) await this.changeStatus(tx, caseId, c.status, status);
      return (await this.summaryOf(caseId, tx))!;
    });
  }

  /** Add a tag (trimmed, at most 64 characters); returns the case's tags. */
  async addTag(caseId: number, tag: string): Promise<string[]> {
    const t = tag.trim();
    if (!t || t.length > 64) throw new StoreError('invalid', 'A tag is 1 to 64 characters.');
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const r = await tx.run('INSERT OR IGNORE INTO tags (case_id, tag) VALUES (?, ?)', [caseId, t]);
      if (r.changes) await this.audit(tx, caseId, 'tag_added', `tag "${t}" added`);
      return this.tagsOf(tx, caseId);
    });
  }

  async removeTag(caseId: number, tag: string): Promise<string[]> {
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const r = await tx.run('DELETE FROM tags WHERE case_id = ? AND tag = ?', [caseId, tag.trim()]);
      if (r.changes) await this.audit(tx, caseId, 'tag_removed', `tag "${tag.trim()}" removed`);
      return this.tagsOf(tx, caseId);
    });
  }

  async addNote(caseId: number, body: string): Promise<Note> {
    if (!body.trim()) throw new StoreError('invalid', 'A note cannot be empty.');
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const at = this.now();
      const { lastID } = await tx.run('INSERT INTO notes (case_id, body, created_at) VALUES (?, ?, ?)', [caseId, body, at]);
      await this.audit(tx, caseId, 'note_added', `note added (${body.length} characters)`);
      return { id: lastID, caseId, body, createdAt: at };
    });
  }

  /**
   * Store a whole analysed case at once: complaint (or the existing case with
   * the same complaint), evidence, the run and the generated draft. Evidence is
   * copied into the vault first; the database rows are one transaction, so a
   * crash leaves either all of it or none (an unreferenced vault file at worst).
   */
  async saveAnalysis(input: SaveAnalysisInput): Promise<SaveAnalysisResult> {
    this.assertWritable();
    const blobs: Array<{ sha256: string; size: number; name: string }> = [];
    for (const ev of input.evidence) {
      const { path, originalName } = typeof ev === 'string' ? { path: ev, originalName: undefined } : ev;
      const blob = await this.vault.putFile(path);
      blobs.push({ ...blob, name: originalName ?? basename(path) });
    }
    return this.write(async (tx) => {
      const { id, existed, repeatOf } = await this.createOrFindIn(tx, input, input.joinOpen ?? 'join');
      for (const b of blobs) await this.insertEvidence(tx, id, b.sha256, b.name, b.size, {});
      // A confirmed repeat's run replaces the headline only when its evidence is not weaker than the accepted run's.
      const current = existed ? await tx.get<{ verdict: Verdict; confidence: number }>(
        'SELECT r.verdict, r.confidence FROM cases c JOIN analysis_runs r ON r.id = c.accepted_run_id WHERE c.id = ?', [id]) : undefined;
      const accepted = !weakerThan(input.result, current);
      const runId = await this.insertRun(tx, id, input.result, input.durationMs, input.options ?? {}, undefined, accepted);
      if (!accepted) {
        await this.audit(tx, id, 'run_not_accepted', `the repeat's run (${input.result.verdict}, confidence ${input.result.confidence.toFixed(2)}) is kept but `
          + `does not replace the accepted verdict ${current!.verdict} (${current!.confidence.toFixed(2)}): accept it on the case to make it the headline`);
      }
      // A re-submitted complaint whose reply came out the same keeps its latest draft rather than a copy.
      const latest = await tx.get<DraftRow>('SELECT * FROM drafts WHERE case_id = ? ORDER BY version DESC LIMIT 1', [id]);
      const draftId = latest && latest.subject === input.result.draft.subject && latest.body === input.result.draft.body
        ? latest.id
        : await this.insertDraft(tx, id, { ...input.result.draft, origin: 'generated', runId });
      return {
        case: (await this.summaryOf(id, tx))!,
        existed,
        repeatOf,
        run: toRun((await tx.get<RunRow>('SELECT * FROM analysis_runs WHERE id = ?', [runId]))!),
        accepted,
        draft: toDraft((await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [draftId]))!),
      };
    });
  }

  /**
   * Analyse a stored case again (the engine improved): every evidence file is
   * re-hashed first, and a custody problem stops the re-analysis with a
   * 'custody_mismatch' or 'evidence_missing' StoreError. The new run is added;
   * old runs are kept. A new generated draft version is saved when its text
   * differs from the latest draft.
   */
  async reanalyze(caseId: number, analyze: AnalyzeFn): Promise<{ run: AnalysisRun; draft: DraftVersion | null }> {
    this.assertWritable();
    const detail = await this.getCase(caseId);
    const checked = await this.verifyEvidence(caseId);
    const bad = checked.filter((e) => e.custody !== 'verified');
    if (bad.length) throw custodyError(caseId, bad);
    const raw = await this.read(() => this.db.get<{ complaint_raw: Buffer }>('SELECT complaint_raw FROM cases WHERE id = ?', [caseId]));
    const options = detail.runs.at(-1)?.options ?? {};
    const t0 = performance.now();
    const result = await analyze({
      complaintRaw: new Uint8Array(raw!.complaint_raw),
      complaintName: detail.complaintName,
      evidence: checked.map((e) => ({ path: this.vault.pathOf(e.sha256), originalName: e.originalName, sha256: e.sha256 })),
      options,
    });
    const durationMs = Math.round((performance.now() - t0) * 10) / 10;
    return this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      const runId = await this.insertRun(tx, caseId, result, durationMs, options, detail.runs.at(-1));
      const latest = await tx.get<DraftRow>('SELECT * FROM drafts WHERE case_id = ? ORDER BY version DESC LIMIT 1', [caseId]);
      let draft: DraftVersion | null = null;
      if (!latest || latest.subject !== result.draft.subject || latest.body !== result.draft.body) {
        const id = await this.insertDraft(tx, caseId, { ...result.draft, origin: 'generated', runId });
        draft = toDraft((await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [id]))!);
      }
      return { run: toRun((await tx.get<RunRow>('SELECT * FROM analysis_runs WHERE id = ?', [runId]))!), draft };
    });
  }

  // ---- reading --------------------------------------------------------------

  /**
   * Everything about one case. Evidence custody is checked quickly (file
   * present, size as recorded: 'unchecked' when fine); pass
   * `{verifyEvidence: true}` to re-hash every file ('verified' or 'mismatch').
   * Throws 'not_found'.
   */
  async getCase(id: number, opts: { verifyEvidence?: boolean } = {}): Promise<CaseDetail> {
    const detail = await this.read(async () => {
      const row = await this.db.get<DetailRow>(`SELECT ${SUMMARY_COLS}, c.complaint_name, c.complaint_raw, c.complaint_json, c.fingerprint, c.repeat_of, c.accepted_run_id FROM cases c WHERE c.id = ?`, [id]);
      if (!row) throw new StoreError('not_found', `There is no case ${id}.`);
      const [targets, evidence, runs, drafts, notes, audit, repeats] = await Promise.all([
        this.db.all<{ address: string }>("SELECT address FROM case_addresses WHERE case_id = ? AND role = 'target' ORDER BY address", [id]),
        this.db.all<EvidenceRow>('SELECT * FROM evidence WHERE case_id = ? ORDER BY id', [id]),
        this.db.all<RunRow>('SELECT * FROM analysis_runs WHERE case_id = ? ORDER BY id', [id]),
        this.db.all<DraftRow>('SELECT * FROM drafts WHERE case_id = ? ORDER BY version', [id]),
        this.db.all<NoteRow>('SELECT * FROM notes WHERE case_id = ? ORDER BY id', [id]),
        this.db.all<AuditRow>('SELECT * FROM audit WHERE case_id = ? ORDER BY id', [id]),
        this.db.all<{ id: number }>('SELECT id FROM cases WHERE repeat_of = ? ORDER BY id', [id]),
      ]);
      return { row, targets, evidence, runs, drafts, notes, audit, repeats };
    });
    const evidence = opts.verifyEvidence
      ? await this.verifyEvidence(id)
      : await Promise.all(detail.evidence.map(async (e) => toEvidence(e, await this.vault.quickCheck(e.sha256, e.size))));
    const { row } = detail;
    return {
      ...toSummary(row),
      complaintName: row.complaint_name,
      complaintRaw: row.complaint_raw.toString('utf8'),
      complaint: JSON.parse(row.complaint_json) as StoredComplaint,
      fingerprint: row.fingerprint,
      repeatOf: row.repeat_of,
      repeatedBy: detail.repeats.map((r) => r.id),
      acceptedRunId: row.accepted_run_id,
      targets: detail.targets.map((t) => t.address),
      evidence,
      runs: detail.runs.map(toRun),
      drafts: detail.drafts.map(toDraft),
      notes: detail.notes.map((n): Note => ({ id: n.id, caseId: n.case_id, body: n.body, createdAt: n.created_at })),
      audit: detail.audit.map((a): AuditEntry => ({ id: a.id, caseId: a.case_id, at: a.at, action: a.action, detail: a.detail })),
      custodyProblem: evidence.some((e) => e.custody === 'mismatch' || e.custody === 'missing'),
    };
  }

  /**
   * Re-hash every evidence file of the case against the SHA-256 recorded when
   * it was attached. The outcome is recorded (last_verified_*) and a mismatch
   * or a missing file goes into the audit trail; nothing is thrown for them:
   * look at `custody`. (On a read-only store nothing is recorded.)
   */
  async verifyEvidence(caseId: number): Promise<EvidenceRecord[]> {
    const rows = await this.read(() => this.db.all<EvidenceRow>('SELECT * FROM evidence WHERE case_id = ? ORDER BY id', [caseId]));
    const out: EvidenceRecord[] = [];
    const at = this.now();
    for (const r of rows) {
      const v = await this.vault.verify(r.sha256);
      out.push(toEvidence({ ...r, last_verified_at: at, last_verified_ok: v.state === 'verified' ? 1 : 0 }, v.state, v.state === 'mismatch' ? v.actualSha256 : undefined));
    }
    if (!this.readOnly && rows.length) {
      await this.write(async (tx) => {
        for (const e of out) {
          await tx.run('UPDATE evidence SET last_verified_at = ?, last_verified_ok = ? WHERE id = ?', [at, e.custody === 'verified' ? 1 : 0, e.id]);
          if (e.custody === 'mismatch') {
            await this.audit(tx, caseId, 'custody_mismatch', `evidence ${e.originalName}: SHA-256 is now ${e.actualSha256}, ${e.sha256} was recorded when it was attached`);
          } else if (e.custody === 'missing') {
            await this.audit(tx, caseId, 'custody_mismatch', `evidence ${e.originalName} (SHA-256 ${e.sha256}) is missing from the data folder`);
          }
        }
        const ok = out.filter((e) => e.custody === 'verified').length;
        if (ok === out.length) await this.audit(tx, caseId, 'custody_verified', `${ok} evidence file${ok === 1 ? '' : 's'} verified`);
      }).catch(() => undefined); // recording the check is best effort; the result is returned regardless
    }
    return out;
  }

  /**
   * The path of a stored evidence file, for reading it again, after checking
   * its SHA-256. Throws 'custody_mismatch' or 'evidence_missing' loudly.
   */
  async evidencePath(evidenceId: number): Promise<{ path: string; evidence: EvidenceRecord }> {
    const r = await this.read(() => this.db.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [evidenceId]));
    if (!r) throw new StoreError('not_found', `There is no evidence ${evidenceId}.`);
    const v = await this.vault.verify(r.sha256);
    const e = toEvidence(r, v.state, v.state === 'mismatch' ? v.actualSha256 : undefined);
    if (v.state !== 'verified') {
      await this.verifyEvidence(r.case_id); // records it in the audit trail
      throw custodyError(r.case_id, [e]);
    }
    return { path: this.vault.pathOf(r.sha256), evidence: e };
  }

  /** Cases, newest received first, filtered. */
  async listCases(filters: CaseFilters = {}): Promise<Page<CaseSummary>> {
    const { where, params } = filterSql(filters, await this.filterHints(filters));
    const { limit, offset } = pageBounds(filters);
    return this.read(async () => {
      // Page first, then the per-row subqueries (accused, tags) for that page only: SQLite would otherwise
      // compute them for every matching row before sorting.
      const rows = await this.db.all<SummaryRow>(
        `WITH page AS (SELECT c.id, c.received_at FROM cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY c.received_at DESC, c.id DESC LIMIT ? OFFSET ?)
         SELECT ${SUMMARY_COLS} FROM page JOIN cases c ON c.id = page.id ORDER BY page.received_at DESC, page.id DESC`,
        [...params, limit + 1, offset],
      );
      return { items: rows.slice(0, limit).map(toSummary), offset, limit, hasMore: rows.length > limit };
    });
  }

  /**
   * Full-text search over complaint text, subject, reporter, addresses and
   * drafts, with the same filters as listCases. Any text is safe to pass (FTS
   * syntax characters are treated as text). An empty query lists.
   */
  async search(query: string, filters: SearchOptions = {}): Promise<Page<SearchHit>> {
    const match = ftsQuery(query);
    if (match === null) {
      const page = await this.listCases(filters);
      return { ...page, items: page.items.map((c) => ({ ...c, snippet: '' })) };
    }
    const { where, params } = filterSql(filters, await this.filterHints(filters));
    const { limit, offset } = pageBounds(filters);
    const order = filters.order === 'relevance' ? 'case_fts.rank' : 'case_fts.rowid DESC';
    return this.read(async () => {
      // The page of ids (and snippets) first, then the summaries of that page only.
      const hits = await this.db.all<{ id: number; snippet: string }>(
        `SELECT case_fts.rowid AS id, snippet(case_fts, -1, '«', '»', '…', 12) AS snippet
         FROM case_fts JOIN cases c ON c.id = case_fts.rowid
         WHERE case_fts MATCH ? ${where.map((w) => `AND ${w}`).join(' ')}
         ORDER BY ${order} LIMIT ? OFFSET ?`,
        [match, ...params, limit + 1, offset],
      );
      const page = hits.slice(0, limit);
      const rows = page.length
        ? await this.db.all<SummaryRow>(`SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id IN (${page.map(() => '?').join(',')})`, page.map((h) => h.id))
        : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const items = page.filter((h) => byId.has(h.id)).map((h) => ({ ...toSummary(byId.get(h.id)!), snippet: h.snippet }));
      return { items, offset, limit, hasMore: hits.length > limit };
    });
  }

  /**
   * Cases related to this one: the same accused address, the same reporter
   * (address, else domain), or an overlapping complaint time window (the 20
   * nearest). Strongest first: more reasons, then same-accused, then newest.
   */
  async relatedCases(id: number, limit = 50): Promise<RelatedCase[]> {
    return this.read(async () => {
      const me = await this.db.get<{ reporter_address: string | null; reporter_domain: string | null; window_start: number | null; window_end: number | null }>(
        'SELECT reporter_address, reporter_domain, window_start, window_end FROM cases WHERE id = ?', [id]);
      if (!me) throw new StoreError('not_found', `There is no case ${id}.`);
      const found = new Map<number, { reasons: Set<RelationReason>; shared: string[] }>();
      const add = (caseId: number, reason: RelationReason, shared: string[] = []): void => {
        const f = found.get(caseId) ?? { reasons: new Set(), shared: [] };
        f.reasons.add(reason);
        f.shared.push(...shared);
        found.set(caseId, f);
      };
      const sameAccused = await this.db.all<{ case_id: number; shared: string }>(
        `SELECT b.case_id, group_concat(b.address, char(10)) AS shared
         FROM case_addresses a JOIN case_addresses b ON b.address = a.address AND b.role = 'accused' AND b.case_id != a.case_id
         WHERE a.case_id = ? AND a.role = 'accused' GROUP BY b.case_id ORDER BY b.case_id DESC LIMIT ?`, [id, limit]);
      for (const r of sameAccused) add(r.case_id, 'same-accused', r.shared.split('\n'));
      const sameReporter = me.reporter_address
        ? await this.db.all<{ id: number }>('SELECT id FROM cases WHERE reporter_address = ? AND id != ? ORDER BY id DESC LIMIT ?', [me.reporter_address, id, limit])
        : me.reporter_domain
          ? await this.db.all<{ id: number }>('SELECT id FROM cases WHERE reporter_domain_rev = ? AND id != ? ORDER BY id DESC LIMIT ?', [reverseDomain(me.reporter_domain), id, limit])
          : [];
      for (const r of sameReporter) add(r.id, 'same-reporter');
      if (me.window_start !== null && me.window_end !== null) {
        const overlapping = await this.db.all<{ id: number }>(
          `SELECT id FROM cases WHERE window_start BETWEEN ? AND ? AND window_end >= ? AND id != ?
           ORDER BY abs(window_start - ?) LIMIT 20`,
          [me.window_start - MAX_WINDOW_MS, me.window_end, me.window_start, id, me.window_start]);
        for (const r of overlapping) add(r.id, 'overlapping-window');
      }
      if (!found.size) return [];
      const ids = [...found.keys()];
      const rows = await this.db.all<SummaryRow>(`SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id IN (${ids.map(() => '?').join(',')})`, ids);
      const rank = (r: RelatedCase): number => r.reasons.length * 4 + (r.reasons.includes('same-accused') ? 2 : 0) + (r.reasons.includes('same-reporter') ? 1 : 0);
      return rows
        .map((r): RelatedCase => {
          const f = found.get(r.id)!;
          return { case: toSummary(r), reasons: [...f.reasons], sharedAddresses: [...new Set(f.shared)].sort() };
        })
        .sort((a, b) => rank(b) - rank(a) || b.case.receivedAt - a.case.receivedAt)
        .slice(0, limit);
    });
  }

  /** Every complaint about one address (or CIDR) over time, oldest first (at most 5000). */
  async hostHistory(address: string): Promise<HostHistory> {
    const range = cidrKeyRange(address);
    if (!range) throw new StoreError('invalid', `"${address}" is not an address or CIDR.`);
    return this.read(async () => {
      const rows = await this.db.all<SummaryRow>(
        `SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id IN
           (SELECT case_id FROM case_addresses WHERE role = 'accused' AND addr_key BETWEEN ? AND ?)
         ORDER BY c.received_at, c.id LIMIT 5000`, [range.lo, range.hi]);
      const cases = rows.map(toSummary);
      const byVerdict: HostHistory['byVerdict'] = { backscatter: 0, legitimate: 0, compromise: 0, inconclusive: 0, none: 0 };
      const byStatus: HostHistory['byStatus'] = { new: 0, analysed: 0, replied: 0, closed: 0 };
      for (const c of cases) {
        byVerdict[c.verdict ?? 'none']++;
        byStatus[c.status]++;
      }
      return {
        address: canonicalAddress(address) ?? address.trim(),
        cases,
        firstSeen: cases[0]?.receivedAt ?? null,
        lastSeen: cases.at(-1)?.receivedAt ?? null,
        byVerdict,
        byStatus,
      };
    });
  }

  // ---- intake, queue, bulk actions ------------------------------------------------

  /**
   * Take one received message into the store. It opens a new case, or joins
   * the case it belongs to: the same message again (same Message-ID, else the
   * same bytes: 'already-imported', nothing changes), a reply in a stored
   * thread (In-Reply-To / References: 'joined-thread'), or the same complaint
   * (normalised text, see fingerprint.ts: 'joined-duplicate'). The message is
   * kept as received in its own row; attachments become evidence (vault); the
   * first look is stored with the case and the queue rank recomputed. A
   * message that could not be parsed (`complaint: null`) is kept as raw text
   * with a warning in the audit trail, never dropped.
   */
  async intakeMessage(input: IntakeMessageInput): Promise<IntakeOutcome> {
    return (await this.intakeBatch([input]))[0];
  }

  /**
   * intakeMessage for several messages in ONE transaction (one fsync): for
   * bulk imports. In order, so a reply later in the batch finds its thread.
   * A failure stores none of the batch.
   */
  async intakeBatch(inputs: IntakeMessageInput[]): Promise<IntakeOutcome[]> {
    this.assertWritable();
    const prepared: PreparedIntake[] = [];
    for (const input of inputs) {
      const raw = toBytes(input.raw);
      const rawSha256 = createHash('sha256').update(raw).digest('hex');
      const messageId = input.messageId ? normaliseMessageId(input.messageId) : undefined;
      const warnings = [...input.warnings];
      const stored = await this.read(() => findStoredMessage(this.db, messageId, rawSha256));
      if (stored) { prepared.push({ input, raw, rawSha256, messageId, warnings, stored, blobs: [] }); continue; }
      if (!input.complaint) warnings.push('not readable as a complaint: kept as raw text');
      const complaint = input.complaint ?? rawComplaint(raw, warnings);
      const blobs: PreparedIntake['blobs'] = [];
      for (const [i, a] of complaint.attachments.entries()) {
        blobs.push({ ...(await this.vault.put(oneChunk(a.content))), name: a.filename || `attachment-${i + 1}` });
      }
      prepared.push({ input, raw, rawSha256, messageId, warnings, complaint, blobs });
    }
    if (prepared.every((p) => p.stored)) {
      return prepared.map((p) => ({ caseId: p.stored!.case_id, messageRowId: p.stored!.id, action: 'already-imported', evidenceAdded: 0, warnings: p.warnings }));
    }
    return this.write(async (tx) => {
      const out: IntakeOutcome[] = [];
      for (const p of prepared) out.push(await this.intakeIn(tx, p));
      return out;
    });
  }

  private async intakeIn(tx: Database, p: PreparedIntake): Promise<IntakeOutcome> {
    const { input, raw, rawSha256, messageId, warnings } = p;
    const again = await findStoredMessage(tx, messageId, rawSha256);
    if (again || !p.complaint) {
      const s = again ?? p.stored!;
      return { caseId: s.case_id, messageRowId: s.id, action: 'already-imported', evidenceAdded: 0, warnings };
    }
    const complaint = p.complaint;
    const name = intakeSourceName(input.source);
    const related = [...(input.references ?? []), ...(input.inReplyTo ? [input.inReplyTo] : [])].map(normaliseMessageId);
    const tKey = threadKey({ messageId, inReplyTo: input.inReplyTo, references: input.references }) ?? null;
    let caseId: number | undefined;
    let action: Exclude<IntakeAction, 'already-imported'> = 'created';
    if (related.length) {
      const row = await tx.get<{ case_id: number }>(
        `SELECT case_id FROM messages WHERE message_id IN (${related.map(() => '?').join(',')}) OR thread_key = ? ORDER BY id LIMIT 1`, [...related, tKey]);
      if (row) {
        caseId = row.case_id;
        action = 'joined-thread';
        const who = complaint.reporter?.address ? ` from ${complaint.reporter.address}` : '';
        await this.audit(tx, caseId, 'message_added', `reply in the thread received: ${name}${who}`);
      }
    }
    if (caseId === undefined) {
      const r = await this.createOrFindIn(tx, { complaintRaw: raw, complaintName: name, complaint }, 'join');
      caseId = r.id;
      action = r.existed ? 'joined-duplicate' : 'created';
    }
    if (input.firstLook) {
      const fl = firstLookColumns(input.firstLook);
      await tx.run(`UPDATE cases SET first_look_json = ?, provisional_verdict = ?, provisional_confidence = ?, headline = coalesce(headline, ?)
        WHERE id = ? AND first_look_json IS NULL`, [fl.json, fl.verdict, fl.confidence, fl.headline, caseId]);
    }
    let evidenceAdded = 0;
    for (const b of p.blobs) {
      const had = await tx.get<{ id: number }>('SELECT id FROM evidence WHERE case_id = ? AND sha256 = ?', [caseId, b.sha256]);
      await this.insertEvidence(tx, caseId, b.sha256, b.name, b.size, {});
      if (!had) evidenceAdded++;
    }
    if (warnings.length) await this.audit(tx, caseId, 'message_warning', `message ${name} kept as received: ${warnings.join('; ')}`);
    const src = input.source;
    const { lastID } = await tx.run(
      `INSERT INTO messages (case_id, message_id, thread_key, in_reply_to, references_json, raw_sha256, raw, source_kind, source_location,
         source_uid, source_name, received_at, imported_at, action, warnings_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [caseId, messageId ?? null, tKey, input.inReplyTo ?? null, JSON.stringify(input.references ?? []), rawSha256, raw, src.kind,
        intakeSourceLocation(src), src.kind === 'mbox' ? src.index : src.kind === 'imap' ? src.uid : null,
        src.kind === 'maildir' || src.kind === 'eml' ? src.filename : null, complaint.dateMs ?? this.now(), this.now(), action, JSON.stringify(warnings)]);
    await rerankAround(tx, caseId);
    return { caseId, messageRowId: lastID, action, evidenceAdded, warnings };
  }

  /** The messages a case was built from, oldest first (without their bytes). */
  async messagesOf(caseId: number): Promise<StoredMessage[]> {
    const rows = await this.read(() => this.db.all<MessageRow>(`SELECT ${MESSAGE_COLS} FROM messages WHERE case_id = ? ORDER BY id`, [caseId]));
    return rows.map(toMessage);
  }

  /** The raw bytes of one stored message. */
  async messageRaw(messageRowId: number): Promise<Uint8Array> {
    const row = await this.read(() => this.db.get<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = ?', [messageRowId]));
    if (!row) throw new StoreError('not_found', `There is no message ${messageRowId}.`);
    return new Uint8Array(row.raw);
  }

  /** Store a first look for a case (e.g. after the operator changed our networks); the queue rank follows. */
  async recordFirstLook(caseId: number, firstLook: FirstLook): Promise<void> {
    const fl = firstLookColumns(firstLook);
    await this.write(async (tx) => {
      await this.mustExist(tx, caseId);
      await tx.run('UPDATE cases SET first_look_json = ?, provisional_verdict = ?, provisional_confidence = ?, headline = CASE WHEN verdict IS NULL THEN ? ELSE coalesce(headline, ?) END WHERE id = ?',
        [fl.json, fl.verdict, fl.confidence, fl.headline, fl.headline, caseId]);
      await rerankAround(tx, caseId);
    });
  }

  /** The stored first look of a case, or null. */
  async firstLookOf(caseId: number): Promise<FirstLook | null> {
    const row = await this.read(() => this.db.get<{ first_look_json: string | null }>('SELECT first_look_json FROM cases WHERE id = ?', [caseId]));
    if (!row) throw new StoreError('not_found', `There is no case ${caseId}.`);
    return row.first_look_json ? JSON.parse(row.first_look_json) as FirstLook : null;
  }

  /** The UID cursor of an IMAP account ("user@host:port") and folder, or null before the first fetch. */
  async getImapCursor(account: string, folder: string): Promise<StoredImapCursor | null> {
    const r = await this.read(() => this.db.get<{ account: string; folder: string; uid_validity: string | null; last_uid: number; updated_at: number }>(
      'SELECT * FROM imap_cursors WHERE account = ? AND folder = ?', [account, folder]));
    return r ? { account: r.account, folder: r.folder, uidValidity: r.uid_validity, lastUid: r.last_uid, updatedAt: r.updated_at } : null;
  }

  /** Remember how far an IMAP folder was read (save it after the messages up to `lastUid` are stored). */
  async saveImapCursor(account: string, folder: string, cursor: { uidValidity?: string | null; lastUid: number }): Promise<StoredImapCursor> {
    const at = this.now();
    await this.write((tx) => tx.run(
      `INSERT INTO imap_cursors (account, folder, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
      [account, folder, cursor.uidValidity ?? null, cursor.lastUid, at]));
    return { account, folder, uidValidity: cursor.uidValidity ?? null, lastUid: cursor.lastUid, updatedAt: at };
  }

  /**
   * The work queue: open (not closed) cases, most urgent first: likely or
   * confirmed compromise, then repeat complaints about one host, then the
   * rest, likely false positives last; each with its reason in words. The
   * rank is precomputed on write, so a page is one index scan.
   */
  async queue(opts: QueueOptions = {}): Promise<QueuePage> {
    const { limit, offset } = pageBounds(opts);
    const cls = opts.class === undefined ? -1 : QUEUE_CLASSES.indexOf(opts.class);
    if (opts.class !== undefined && cls < 0) throw new StoreError('invalid', `Unknown queue class "${opts.class}" (one of ${QUEUE_CLASSES.join(', ')}).`);
    return this.read(async () => {
      const where = cls >= 0 ? 'rank_class = ?' : 'rank_class IS NOT NULL';
      const rows = await this.db.all<QueueRow>(
        `WITH page AS (SELECT id, rank_class, rank_score, received_at FROM cases WHERE ${where}
           ORDER BY rank_class, rank_score DESC, received_at DESC, id DESC LIMIT ? OFFSET ?)
         SELECT ${SUMMARY_COLS}, c.rank_class, c.rank_score, c.rank_reason, c.provisional_verdict, c.provisional_confidence, c.activity, c.group_key
         FROM page JOIN cases c ON c.id = page.id ORDER BY page.rank_class, page.rank_score DESC, page.received_at DESC, page.id DESC`,
        [...(cls >= 0 ? [cls] : []), limit + 1, offset]);
      const countRows = await this.db.all<{ rank_class: number; n: number }>(
        'SELECT rank_class, count(*) AS n FROM cases WHERE rank_class IS NOT NULL GROUP BY rank_class');
      const counts = Object.fromEntries(QUEUE_CLASSES.map((c) => [c, 0])) as Record<QueueClass, number>;
      for (const r of countRows) counts[QUEUE_CLASSES[r.rank_class]] = r.n;
      const items = rows.slice(0, limit).map((r): QueueItem => ({
        ...toSummary(r), queueClass: QUEUE_CLASSES[r.rank_class], rankScore: r.rank_score, rankReason: r.rank_reason,
        provisionalVerdict: r.provisional_verdict, provisionalConfidence: r.provisional_confidence, activity: r.activity, groupKey: r.group_key,
      }));
      return { items, offset, limit, hasMore: rows.length > limit, counts };
    });
  }

  /** Set the status of several cases in one transaction (an audit line per case that changed). Unknown ids refuse the whole change. */
  async setStatusMany(caseIds: number[], status: CaseStatus): Promise<BulkResult> {
    if (!CASE_STATUSES.includes(status)) throw new StoreError('invalid', `Unknown status "${status}" (one of ${CASE_STATUSES.join(', ')}).`);
    return this.write(async (tx) => {
      const out: BulkResult = { changed: [], unchanged: [] };
      for (const id of new Set(caseIds)) {
        const c = await this.mustExist(tx, id);
        if (c.status === status) { out.unchanged.push(id); continue; }
        await this.changeStatus(tx, id, c.status, status);
        out.changed.push(id);
      }
      return out;
    });
  }

  /** Add a tag to several cases in one transaction (an audit line per case that did not have it). */
  async addTagMany(caseIds: number[], tag: string): Promise<BulkResult> {
    const t = tag.trim();
    if (!t || t.length > 64) throw new StoreError('invalid', 'A tag is 1 to 64 characters.');
    return this.write(async (tx) => {
      const out: BulkResult = { changed: [], unchanged: [] };
      for (const id of new Set(caseIds)) {
        await this.mustExist(tx, id);
        const r = await tx.run('INSERT OR IGNORE INTO tags (case_id, tag) VALUES (?, ?)', [id, t]);
        if (!r.changes) { out.unchanged.push(id); continue; }
        await this.audit(tx, id, 'tag_added', `tag "${t}" added (bulk, ${caseIds.length} cases)`);
        out.changed.push(id);
      }
      return out;
    });
  }

  /** Remove a tag from several cases in one transaction. */
  async removeTagMany(caseIds: number[], tag: string): Promise<BulkResult> {
    const t = tag.trim();
    return this.write(async (tx) => {
      const out: BulkResult = { changed: [], unchanged: [] };
      for (const id of new Set(caseIds)) {
        await this.mustExist(tx, id);
        const r = await tx.run('DELETE FROM tags WHERE case_id = ? AND tag = ?', [id, t]);
        if (!r.changes) { out.unchanged.push(id); continue; }
        await this.audit(tx, id, 'tag_removed', `tag "${t}" removed (bulk, ${caseIds.length} cases)`);
        out.changed.push(id);
      }
      return out;
    });
  }

  /**
   * Groups of open cases that can share one reviewed reply: the same verdict
   * (full, else provisional), the same accused and the same activity. By
   * default the likely false positives (backscatter, legitimate) with at
   * least two cases, largest first.
   */
  async caseGroups(opts: { verdicts?: Verdict[]; minSize?: number } = {}): Promise<CaseGroup[]> {
    const verdicts = new Set(opts.verdicts ?? ['backscatter', 'legitimate']);
    const rows = await this.read(() => this.db.all<{ group_key: string; ids: string }>(
      `SELECT group_key, group_concat(id) AS ids FROM cases WHERE rank_class IS NOT NULL AND group_key IS NOT NULL
       GROUP BY group_key HAVING count(*) >= ? ORDER BY count(*) DESC, group_key`, [Math.max(1, opts.minSize ?? 2)]));
    return rows.map((r) => parseGroup(r.group_key, r.ids)).filter((g) => verdicts.has(g.verdict));
  }

  /** The open cases in the same group as this one (itself included), or null when it has no group. */
  async groupOf(caseId: number): Promise<CaseGroup | null> {
    const me = await this.read(() => this.db.get<{ group_key: string | null }>('SELECT group_key FROM cases WHERE id = ?', [caseId]));
    if (!me) throw new StoreError('not_found', `There is no case ${caseId}.`);
    if (!me.group_key) return null;
    const rows = await this.read(() => this.db.all<{ id: number }>('SELECT id FROM cases WHERE group_key = ? AND (rank_class IS NOT NULL OR id = ?) ORDER BY id', [me.group_key, caseId]));
    return parseGroup(me.group_key, rows.map((r) => r.id).join(','));
  }

  /**
   * The group reply filled in for each case (see group-reply.ts), to read
   * before replyToGroup saves it: nothing is written.
   */
  async previewGroupReply(caseIds: number[], template: ReplyTemplate): Promise<FilledGroupDraft[]> {
    return (await this.read(() => fillGroupDrafts(this.db, caseIds, template))).drafts;
  }

  /**
   * Answer a group of identical complaints with one reviewed template: one
   * new draft version (origin 'edited') per case, filled from THAT case's own
   * complaint (see analysis/draft/group-reply.ts for the placeholders). Every
   * case must be in the same group (see caseGroups), else 'invalid' and
   * nothing is saved. One transaction.
   */
  async replyToGroup(caseIds: number[], template: ReplyTemplate): Promise<GroupReplyResult> {
    const { groupKey, drafts: filled } = await this.read(() => fillGroupDrafts(this.db, caseIds, template));
    return this.write(async (tx) => {
      const drafts: DraftVersion[] = [];
      for (const f of filled) {
        await this.mustExist(tx, f.caseId);
        const draftId = await this.insertDraft(tx, f.caseId, { subject: f.subject, body: f.body, origin: 'edited' });
        await this.audit(tx, f.caseId, 'group_reply', `draft from one reviewed reply to ${filled.length} cases of group ${groupKey}`);
        drafts.push(toDraft((await tx.get<DraftRow>('SELECT * FROM drafts WHERE id = ?', [draftId]))!));
      }
      return { drafts };
    });
  }

  // ---- in and out -------------------------------------------------------------

  /**
   * Export a case as a bundle (see bundle.ts). `dest` is the bundle's file
   * name, or an existing folder to write `case-<id>.abuse-case.tar` into.
   * Evidence is verified first: a custody problem refuses the export.
   * Returns the bundle's path.
   */
  async exportBundle(caseId: number, dest: string): Promise<string> {
    const checked = await this.verifyEvidence(caseId);
    const bad = checked.filter((e) => e.custody !== 'verified');
    if (bad.length) throw custodyError(caseId, bad);
    const detail = await this.getCase(caseId);
    let out = resolve(dest);
    const st = await stat(out).catch(() => null);
    if (st?.isDirectory()) out = join(out, `case-${caseId}.abuse-case.tar`);
    const raw = await this.read(() => this.db.get<{ complaint_raw: Buffer }>('SELECT complaint_raw FROM cases WHERE id = ?', [caseId]));
    const now = this.now();
    const complaintEntry = `complaint/${safeEntryName(detail.complaintName)}`;
    const entries: TarEntryIn[] = [];
    const json = (v: unknown): { bytes: Uint8Array } => ({ bytes: Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8') });
    const runIndex = new Map(detail.runs.map((r, i) => [r.id, i]));
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      exportedAt: now,
      case: {
        createdAt: detail.createdAt, updatedAt: detail.updatedAt, receivedAt: detail.receivedAt, status: detail.status,
        fingerprint: detail.fingerprint, complaintName: detail.complaintName, complaintEntry,
        complaint: detail.complaint as unknown as Record<string, unknown>, accused: detail.accused, targets: detail.targets, tags: detail.tags,
      },
      evidence: checked.map((e) => ({
        sha256: e.sha256, originalName: e.originalName, size: e.size, format: e.format, firstTs: e.firstTs, lastTs: e.lastTs,
        attachedAt: e.attachedAt, entry: `evidence/${e.sha256}`,
      })),
      runs: detail.runs.map((r, i) => ({
        createdAt: r.createdAt, engineVersion: r.engineVersion, schemaVersion: r.schemaVersion, verdict: r.verdict, confidence: r.confidence,
        durationMs: r.durationMs, options: r.options as Record<string, unknown>, entry: `analysis/run-${i + 1}.json`,
      })),
      drafts: detail.drafts.map((d) => ({
        version: d.version, subject: d.subject, body: d.body, origin: d.origin, runIndex: d.runId !== null ? runIndex.get(d.runId) ?? null : null,
        createdAt: d.createdAt, sentAt: d.sentAt,
      })),
      notes: detail.notes.map((n) => ({ body: n.body, createdAt: n.createdAt })),
      audit: detail.audit.map((a) => ({ at: a.at, action: a.action, detail: a.detail })),
    };
    entries.push({ name: 'manifest.json', mtimeMs: now, source: json(manifest) });
    entries.push({ name: complaintEntry, mtimeMs: detail.createdAt, source: { bytes: raw!.complaint_raw } });
    for (const e of checked) entries.push({ name: `evidence/${e.sha256}`, mtimeMs: e.attachedAt, source: { file: this.vault.pathOf(e.sha256), size: e.size } });
    detail.runs.forEach((r, i) => entries.push({ name: `analysis/run-${i + 1}.json`, mtimeMs: r.createdAt, source: json(r.result) }));
    for (const d of detail.drafts) entries.push({ name: `drafts/v${d.version}.md`, mtimeMs: d.createdAt, source: { bytes: Buffer.from(draftMarkdown(d), 'utf8') } });
    const latest = detail.drafts.at(-1);
    if (latest) entries.push({ name: 'reply.md', mtimeMs: latest.createdAt, source: { bytes: Buffer.from(draftMarkdown(latest), 'utf8') } });
    try {
      await writeTar(out, entries);
    } catch (e) {
      throw e instanceof StoreError ? e : toStoreError(e, out);
    }
    if (!this.readOnly) await this.write((tx) => this.audit(tx, caseId, 'exported', `exported to ${out}`)).catch(() => undefined);
    return out;
  }

  /**
   * Import a bundle written by exportBundle. Every evidence file's SHA-256 is
   * checked against the manifest on the way in (a mismatch imports nothing:
   * 'custody_mismatch'). When the store already holds the same complaint,
   * nothing is imported and that case's id is returned with `existed: true`.
   */
  async importBundle(path: string): Promise<ImportResult> {
    this.assertWritable();
    const file = resolve(path);
    let manifest: BundleManifest;
    let entries;
    try {
      entries = await listTar(file);
    } catch (e) {
      throw e instanceof StoreError ? e : toStoreError(e, file);
    }
    const entry = (name: string) => {
      const e = entries.find((x) => x.name === name);
      if (!e) throw new StoreError('invalid', `${file} is not a complete case bundle (no ${name}).`);
      return e;
    };
    try {
      const parsed = manifestSchema.safeParse(JSON.parse((await readTarEntry(file, entry('manifest.json'))).toString('utf8')));
      if (!parsed.success) throw new StoreError('invalid', `${file} is not a case bundle this version can read: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
      manifest = parsed.data;
    } catch (e) {
      throw e instanceof StoreError ? e : new StoreError('invalid', `${file} is not a case bundle (manifest.json unreadable: ${(e as Error).message}).`);
    }
    const raw = await readTarEntry(file, entry(manifest.case.complaintEntry));
    const complaintFp = complaintFingerprint(raw);
    // The same case (a repeat case has its own fingerprint), else for an original the case holding its complaint.
    const fingerprint = manifest.case.fingerprint;
    const dup = await this.read(() => this.db.get<{ id: number }>(
      'SELECT id FROM cases WHERE fingerprint = ? OR (? AND complaint_fp = ?) ORDER BY fingerprint = ? DESC, id LIMIT 1',
      [fingerprint, fingerprint === complaintFp ? 1 : 0, complaintFp, fingerprint]));
    if (dup) return { caseId: dup.id, existed: true };
    for (const ev of manifest.evidence) await this.vault.put(tarEntryStream(file, entry(ev.entry)), ev.sha256);
    const results: AnalysisResult[] = [];
    for (const r of manifest.runs) results.push(JSON.parse((await readTarEntry(file, entry(r.entry))).toString('utf8')) as AnalysisResult);
    const complaint = manifest.case.complaint as unknown as StoredComplaint;
    return this.write(async (tx) => {
      const m = manifest.case;
      const caseId = await this.insertCaseRow(tx, {
        createdAt: m.createdAt, updatedAt: m.updatedAt, receivedAt: m.receivedAt, status: m.status, fingerprint, complaintName: m.complaintName,
        complaintRaw: raw, complaint, windowStart: null, windowEnd: null, accused: m.accused, targets: m.targets, tags: m.tags,
      }, false);
      await tx.run('UPDATE cases SET complaint_fp = ? WHERE id = ?', [complaintFp, caseId]);
      for (const a of manifest.audit) await tx.run('INSERT INTO audit (case_id, at, action, detail) VALUES (?, ?, ?, ?)', [caseId, a.at, a.action, a.detail]);
      for (const ev of manifest.evidence) {
        await tx.run(`INSERT INTO evidence (case_id, sha256, original_name, size, format, first_ts, last_ts, attached_at, last_verified_at, last_verified_ok)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, [caseId, ev.sha256, ev.originalName, ev.size, ev.format, ev.firstTs, ev.lastTs, ev.attachedAt, this.now()]);
      }
      const runIds: number[] = [];
      for (const [i, r] of manifest.runs.entries()) {
        const { lastID } = await tx.run(`INSERT INTO analysis_runs (case_id, created_at, engine_version, schema_version, verdict, confidence, duration_ms, options_json, result_json)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [caseId, r.createdAt, r.engineVersion, r.schemaVersion, r.verdict, r.confidence, r.durationMs, JSON.stringify(r.options), JSON.stringify(results[i])]);
        runIds.push(lastID);
      }
      const lastRun = manifest.runs.at(-1);
      if (lastRun) await tx.run('UPDATE cases SET verdict = ?, confidence = ?, accepted_run_id = ? WHERE id = ?', [lastRun.verdict, lastRun.confidence, runIds.at(-1) ?? null, caseId]);
      await rerankAround(tx, caseId);
      for (const d of manifest.drafts) {
        await tx.run('INSERT INTO drafts (case_id, version, subject, body, origin, run_id, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [caseId, d.version, d.subject, d.body, d.origin, d.runIndex !== null ? runIds[d.runIndex] ?? null : null, d.createdAt, d.sentAt]);
      }
      for (const n of manifest.notes) await tx.run('INSERT INTO notes (case_id, body, created_at) VALUES (?, ?, ?)', [caseId, n.body, n.createdAt]);
      await this.audit(tx, caseId, 'imported', `imported from ${basename(file)} (${manifest.evidence.length} evidence file${manifest.evidence.length === 1 ? '' : 's'} verified)`, false);
      await this.refreshFts(tx, caseId);
      return { caseId, existed: false };
    });
  }

  /**
   * Back up the whole store into `destDir`: a consistent copy of the database
   * (VACUUM INTO, taken while the store stays usable) and the evidence folder.
   * `destDir` is created; an existing cases.sqlite there is refused.
   */
  async backup(destDir: string): Promise<BackupResult> {
    const dir = resolve(destDir);
    const dbOut = join(dir, DATABASE_FILE);
    try {
      await mkdir(dir, { recursive: true });
      if (existsSync(dbOut)) throw new StoreError('invalid', `${dbOut} already exists: choose an empty folder for the backup.`);
      await this.db.run('VACUUM INTO ?', [dbOut]);
      await cp(this.vault.root, join(dir, EVIDENCE_DIR), { recursive: true, filter: (src) => !src.startsWith(join(this.vault.root, 'tmp')) });
      let files = 0;
      let bytes = (await stat(dbOut)).size;
      const evDir = join(dir, EVIDENCE_DIR);
      for (const sub of await readdir(evDir)) {
        if (!/^[0-9a-f]{2}$/.test(sub)) continue;
        for (const f of await readdir(join(evDir, sub))) {
          files++;
          bytes += (await stat(join(evDir, sub, f))).size;
        }
      }
      return { databasePath: dbOut, evidenceFiles: files, bytes };
    } catch (e) {
      throw toStoreError(e, dir);
    }
  }

  // ---- internals ----------------------------------------------------------------

  /** How many cases an accused-CIDR filter covers decides how filterSql queries it. */
  private async filterHints(f: CaseFilters): Promise<{ manyAccused: boolean }> {
    const range = f.accused ? cidrKeyRange(f.accused) : null;
    if (!range) return { manyAccused: false };
    const row = await this.read(() => this.db.get<{ n: number }>(COUNT_ACCUSED_SQL, [range.lo, range.hi]));
    return { manyAccused: (row?.n ?? 0) >= MANY_ACCUSED };
  }

  private assertWritable(): void {
    if (this.readOnlyReason !== undefined) throw new StoreError('read_only', this.readOnlyReason);
  }

  /** One write transaction, errors mapped to StoreError. */
  private async write<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    this.assertWritable();
    try {
      return await this.db.transaction(fn);
    } catch (e) {
      throw toStoreError(e, this.dataDir);
    }
  }

  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toStoreError(e, this.dataDir);
    }
  }

  private async mustExist(tx: Database, caseId: number): Promise<{ status: CaseStatus }> {
    const c = await tx.get<{ status: CaseStatus }>('SELECT status FROM cases WHERE id = ?', [caseId]);
    if (!c) throw new StoreError('not_found', `There is no case ${caseId}.`);
    return c;
  }

  private async summaryOf(id: number, db: Database = this.db): Promise<CaseSummary | undefined> {
    const row = await db.get<SummaryRow>(`SELECT ${SUMMARY_COLS} FROM cases c WHERE c.id = ?`, [id]);
    return row && toSummary(row);
  }

  private async tagsOf(tx: Database, caseId: number): Promise<string[]> {
    return (await tx.all<{ tag: string }>('SELECT tag FROM tags WHERE case_id = ? ORDER BY tag', [caseId])).map((r) => r.tag);
  }

  private async audit(tx: Database, caseId: number, action: string, detail: string, touch = true): Promise<void> {
    const at = this.now();
    await tx.run('INSERT INTO audit (case_id, at, action, detail) VALUES (?, ?, ?, ?)', [caseId, at, action, detail]);
    if (touch) await tx.run('UPDATE cases SET updated_at = ? WHERE id = ?', [at, caseId]);
  }

  private async changeStatus(tx: Database, caseId: number, from: CaseStatus, to: CaseStatus): Promise<void> {
    await tx.run('UPDATE cases SET status = ? WHERE id = ?', [to, caseId]);
    await this.audit(tx, caseId, 'status_changed', `status ${from} → ${to}`);
    await rerank(tx, [caseId]);
  }

  /** The case for this complaint: an open earlier case when `join` allows it (see repeats.ts), else a new one, linked to an earlier one. */
  private async createOrFindIn(tx: Database, input: NewCaseInput, join: JoinOpen): Promise<{ id: number; existed: boolean; repeatOf: number | null }> {
    const raw = toBytes(input.complaintRaw);
    const complaintFp = complaintFingerprint(raw);
    const earlier = await latestWithComplaint(tx, complaintFp);
    if (earlier && joinsEarlier(earlier, join)) {
      await this.audit(tx, earlier.id, 'duplicate_submitted', `the same complaint was submitted again (${input.complaintName})`);
      return { id: earlier.id, existed: true, repeatOf: null };
    }
    const fingerprint = earlier ? repeatFingerprint(complaintFp, earlier.id) : complaintFp;
    const c = input.complaint;
    const win = complaintWindow(c, c.quotedEvents.map((e) => e.ts));
    const now = this.now();
    const id = await this.insertCaseRow(tx, {
      createdAt: now, updatedAt: now, receivedAt: c.dateMs ?? now, status: 'new', fingerprint, complaintName: input.complaintName,
      complaintRaw: raw, complaint: storedComplaint(c), windowStart: win.start, windowEnd: win.end,
      accused: c.accused, targets: c.targets, tags: input.tags ?? [],
    }, true);
    if (earlier) {
      await tx.run('UPDATE cases SET repeat_of = ?, complaint_fp = ? WHERE id = ?', [earlier.id, complaintFp, id]);
      await this.audit(tx, id, 'repeat_of', `repeat of case ${earlier.id} (${earlier.status}): the same complaint again (${input.complaintName})`, false);
      await this.audit(tx, earlier.id, 'repeated', `the same complaint came again as case ${id}; this case is unchanged`, false);
    }
    return { id, existed: false, repeatOf: earlier?.id ?? null };
  }

  /** Insert the case row, its addresses and tags (and the 'created' audit line when `audited`). */
  private async insertCaseRow(tx: Database, r: CaseRowInput, audited: boolean): Promise<number> {
    const c = r.complaint;
    const domain = reporterDomain(c.reporter?.address);
    const win = r.windowStart === null ? complaintWindow(c, []) : { start: r.windowStart, end: r.windowEnd };
    const { lastID: id } = await tx.run(
      `INSERT INTO cases (created_at, updated_at, received_at, status, fingerprint, complaint_name, complaint_raw, complaint_json, complaint_text,
         subject, reporter_address, reporter_name, reporter_domain, reporter_domain_rev, window_start, window_end)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [r.createdAt, r.updatedAt, r.receivedAt, r.status, r.fingerprint, r.complaintName, r.complaintRaw, JSON.stringify(c), c.text ?? '',
        c.subject ?? null, c.reporter?.address?.toLowerCase() ?? null, c.reporter?.name ?? c.reporter?.organisation ?? null, domain,
        domain && reverseDomain(domain), win.start, win.end],
    );
    await tx.run('UPDATE cases SET complaint_fp = fingerprint WHERE id = ?', [id]);
    await this.insertAddresses(tx, id, 'accused', r.accused);
    await this.insertAddresses(tx, id, 'target', r.targets);
    await tx.run(`UPDATE cases SET activity = ?, primary_accused = (SELECT min(address) FROM case_addresses WHERE case_id = ? AND role = 'accused') WHERE id = ?`,
      [typeof c.activity === 'string' ? c.activity : null, id, id]);
    for (const t of r.tags) if (t.trim()) await tx.run('INSERT OR IGNORE INTO tags (case_id, tag) VALUES (?, ?)', [id, t.trim()]);
    if (audited) {
      const who = c.reporter?.address ? ` from ${c.reporter.address}` : '';
      await this.audit(tx, id, 'created', `complaint ${r.complaintName}${who} received (${c.format}); accused ${r.accused.join(', ') || 'none found'}`, false);
      await this.refreshFts(tx, id);
    }
    return id;
  }

  private async insertAddresses(tx: Database, caseId: number, role: 'accused' | 'target', addresses: string[]): Promise<string[]> {
    const added: string[] = [];
    for (const a of addresses) {
      const canon = canonicalAddress(a);
      if (!canon) continue;
      const r = await tx.run('INSERT OR IGNORE INTO case_addresses (case_id, role, address, addr_key) VALUES (?, ?, ?, ?)', [caseId, role, canon, addressKey(canon)]);
      if (r.changes) added.push(canon);
    }
    return added;
  }

  private async insertEvidence(tx: Database, caseId: number, sha256: string, name: string, size: number, meta: { format?: string; firstTs?: number; lastTs?: number }): Promise<number> {
    const existing = await tx.get<{ id: number }>('SELECT id FROM evidence WHERE case_id = ? AND sha256 = ?', [caseId, sha256]);
    if (existing) return existing.id;
    const at = this.now();
    const { lastID } = await tx.run(
      `INSERT INTO evidence (case_id, sha256, original_name, size, format, first_ts, last_ts, attached_at, last_verified_at, last_verified_ok)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      [caseId, sha256, name, size, meta.format ?? null, meta.firstTs ?? null, meta.lastTs ?? null, at, at]);
    await this.audit(tx, caseId, 'evidence_attached', `evidence ${name} attached: ${size} bytes, SHA-256 ${sha256}`);
    return lastID;
  }

  private async insertRun(tx: Database, caseId: number, result: AnalysisResult, durationMs: number, options: AnalysisRunOptions, previous?: AnalysisRun, accept = true): Promise<number> {
    const at = this.now();
    const { lastID } = await tx.run(
      `INSERT INTO analysis_runs (case_id, created_at, engine_version, schema_version, verdict, confidence, duration_ms, options_json, result_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [caseId, at, result.engineVersion, result.schemaVersion, result.verdict, result.confidence, durationMs, JSON.stringify(options), JSON.stringify(result)]);
    if (accept) {
      await tx.run('UPDATE cases SET verdict = ?, confidence = ?, headline = coalesce(?, headline), accepted_run_id = ? WHERE id = ?',
        [result.verdict, result.confidence, headlineFor(result.findings ?? [], result.verdict), lastID, caseId]);
    }
    const added = await this.insertAddresses(tx, caseId, 'accused', result.accused);
    if (added.length) {
      await tx.run(`UPDATE cases SET primary_accused = (SELECT min(address) FROM case_addresses WHERE case_id = ? AND role = 'accused') WHERE id = ?`, [caseId, caseId]);
    }
    await rerankAround(tx, caseId);
    // Fill in what the readers learnt about each evidence file (matched by the name they reported).
    const evidence = await tx.all<EvidenceRow>('SELECT * FROM evidence WHERE case_id = ?', [caseId]);
    for (const s of result.evidence) {
      const e = evidence.find((x) => x.original_name === s.file || basename(x.original_name) === basename(s.file) || x.sha256 === basename(s.file));
      if (e && s.format !== 'unknown') {
        await tx.run('UPDATE evidence SET format = ?, first_ts = ?, last_ts = ? WHERE id = ?', [s.format, s.firstTs ?? null, s.lastTs ?? null, e.id]);
      }
    }
    const was = previous ? `; previously ${previous.verdict} (${previous.confidence.toFixed(2)}, engine ${previous.engineVersion})` : '';
    await this.audit(tx, caseId, previous ? 'reanalysed' : 'analysed',
      `engine ${result.engineVersion}: ${result.verdict} (confidence ${result.confidence.toFixed(2)}) in ${Math.round(durationMs)} ms${was}`);
    const c = (await tx.get<{ status: CaseStatus }>('SELECT status FROM cases WHERE id = ?', [caseId]))!;
    if (c.status === 'new') await this.changeStatus(tx, caseId, 'new', 'analysed');
    if (added.length) await this.refreshFts(tx, caseId);
    return lastID;
  }

  private async insertDraft(tx: Database, caseId: number, d: NewDraftInput): Promise<number> {
    const { n } = (await tx.get<{ n: number }>('SELECT coalesce(max(version), 0) + 1 AS n FROM drafts WHERE case_id = ?', [caseId]))!;
    const { lastID } = await tx.run('INSERT INTO drafts (case_id, version, subject, body, origin, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [caseId, n, d.subject, d.body, d.origin, d.runId ?? null, this.now()]);
    await this.audit(tx, caseId, 'draft_saved', `draft version ${n} saved (${d.origin})`);
    await this.refreshFts(tx, caseId);
    return lastID;
  }

  /** Rewrite the case's full-text row (complaint, reporter, addresses, drafts). */
  private async refreshFts(tx: Database, caseId: number): Promise<void> {
    await tx.run('DELETE FROM case_fts WHERE rowid = ?', [caseId]);
    await tx.run(`
      INSERT INTO case_fts (rowid, subject, complaint, reporter, addresses, drafts)
      SELECT c.id, coalesce(c.subject, ''), c.complaint_text,
             trim(coalesce(c.reporter_address, '') || ' ' || coalesce(c.reporter_name, '') || ' ' || coalesce(c.reporter_domain, '')),
             coalesce((SELECT group_concat(address, ' ') FROM case_addresses a WHERE a.case_id = c.id), ''),
             coalesce((SELECT group_concat(subject || ' ' || body, ' ') FROM drafts d WHERE d.case_id = c.id), '')
      FROM cases c WHERE c.id = ?`, [caseId]);
  }
}

/**
 * Open for reading: normally (sees other writers' commits), else, when SQLite
 * cannot even create the WAL index in a read-only folder, as immutable.
 */
async function openReadOnly(dbFile: string): Promise<Database> {
  for (const immutable of [false, true]) {
    let db: Database | undefined;
    try {
      db = await Database.open(dbFile, { readOnly: true, immutable });
      await migrate(db);
      return db;
    } catch (e) {
      await db?.close().catch(() => undefined);
      const err = toStoreError(e, dbFile);
      if (immutable || err.code !== 'read_only') throw err;
    }
  }
  throw new StoreError('read_only', `Cannot open ${dbFile}.`);
}

function custodyError(caseId: number, bad: EvidenceRecord[]): StoreError {
  const missing = bad.filter((e) => e.custody === 'missing');
  const lines = bad.map((e) => e.custody === 'missing'
    ? `  ${e.originalName}: MISSING from the data folder (recorded SHA-256 ${e.sha256})`
    : `  ${e.originalName}: recorded SHA-256 ${e.sha256}, now ${e.actualSha256}`);
  return new StoreError(missing.length === bad.length ? 'evidence_missing' : 'custody_mismatch',
    `CHAIN OF CUSTODY BROKEN for case ${caseId}: ${bad.length} evidence file${bad.length === 1 ? '' : 's'} no longer match${bad.length === 1 ? 'es' : ''} what was attached.\n${lines.join('\n')}\nDo not rely on this evidence; attach the original files again.`);
}


async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** For tests and tools that want a throwaway folder. */
export async function makeTempDataDir(prefix = 'abuse-desk-store-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Remove a folder made by makeTempDataDir. */
export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

