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
 *
 * This class is a facade: the work is in one module per domain, each a set of
 * functions of a StoreContext (transaction.ts: database handle, vault, clock,
 * read-only reason):
 *   cases/rows.ts      row mapping            cases/insert.ts  row writes shared by every domain
 *   cases/writes.ts    case writes, bulk      cases/reads.ts   one case, custody, related, host history
 *   search.ts          list and search        queue.ts         rank, queue page, groups
 *   intake-store.ts    messages into cases    group-reply.ts   one reviewed reply for a group
 *   bundles/           export, import         backup.ts        copy of the whole store
 *   sent-replies.ts    replies as they left   reply-templates.ts  the operator's reply texts
 * The seam for a second backend (PostgreSQL for teams): implement the same
 * domain functions over its own handle in a StoreContext of its own and let
 * open() pick the set; callers see only this class and never the handle.
 */
import type { AnalysisResult } from '../analysis/pipeline';
import type { FirstLook } from '../analysis/triage/first-look';
import { backup } from './backup';
import { claimCase, claimOf, releaseClaim, type Claim } from './claims';
import { leasesOf, type Leases } from './leases';
import { deskOf, type Desk } from './desk';
import { watchChanges, type StoreChange } from './pg/changes';
import { exportBundle } from './bundles/export';
import { importBundle } from './bundles/import';
import { removeEvidence, setEvidenceExcluded } from './cases/evidence-set';
import { evidencePath, getCase, hostHistory, relatedCases, verifyEvidence } from './cases/reads';
import {
  acceptRun, addNote, addTag, addTagMany, attachEvidence, createOrFindCase, findDuplicate, markDraftSent, reanalyze, recordAnalysis,
  removeTag, removeTagMany, saveAnalysis, saveDraft, setStatus, setStatusMany,
  type EvidenceInput, type SaveAnalysisInput, type SaveAnalysisResult,
} from './cases/writes';
import { previewGroupReply, replyToGroup, type FilledGroupDraft, type GroupReplyExtras } from './group-reply';
import { firstLookOf, getImapCursor, intakeBatch, messageRaw, messagesOf, recordFirstLook, saveImapCursor } from './intake-store';
import type {
  BulkResult, CaseGroup, GroupReplyResult, IntakeMessageInput, IntakeOutcome, QuarantinedMessage, QueueOptions, QueuePage, ReplyTemplate, StoredImapCursor, StoredMessage,
} from './intake-types';
import { openStore } from './open';
import { caseGroups, groupOf, queuePage } from './queue';
import { replyTemplatesOf, type ReplyTemplates } from './reply-templates';
import { recordSentReply, sentRepliesOf, sentReplyRaw, type SentReplyInput, type SentReplyRecord } from './sent-replies';
import { listCases, searchCases, type SearchOptions } from './search';
import { vaultCheck, type VaultCheck } from './vault-gc';
import { quarantinedMessages, quarantinedRaw, quarantineMessage, type QuarantineInput } from './quarantine';
import { operatorOf, type StoreContext } from './transaction';
import type {
  AnalysisRun, AnalysisRunOptions, AnalyzeFn, BackupResult, CaseDetail, CaseFilters, CaseStatus, CaseSummary, DraftVersion, EvidenceRecord,
  HostHistory, ImportResult, NewCaseInput, NewDraftInput, Note, Page, RelatedCase, SearchHit, Verdict,
} from './types';

export * from './types';
export type * from './intake-types';
export * from './exports';

export interface CaseStoreOptions {
  /** Open for reading only (browsing a backup, a read-only share). */
  readOnly?: boolean;
  /** Test hook: cap the database size to provoke SQLITE_FULL. */
  maxPageCount?: number;
  /** Clock, for tests (ms since epoch). */
  now?: () => number;
  /** Who this app's changes are recorded under in the audit trail (default: the OS user's name). */
  operator?: string;
}

export class CaseStore {
  private readonly ctx: StoreContext;

  private constructor(
    /** The data folder (absolute). */
    readonly dataDir: string,
    ctx: Omit<StoreContext, 'now'>,
    /** Why the store is read-only, when it is (every write then throws StoreError 'read_only'). */
    readonly readOnlyReason: string | undefined,
    opts: CaseStoreOptions,
  ) {
    this.ctx = { ...ctx, now: opts.now ?? Date.now, operator: opts.operator };
  }

  /** The operator this store's changes are recorded under. */
  get operator(): string {
    return operatorOf(this.ctx);
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
    const s = await openStore(dataDir, opts);
    return new CaseStore(s.dataDir, s, s.readOnlyReason, opts);
  }

  /** Wait for pending writes and close the database. */
  async close(): Promise<void> {
    await this.ctx.db.close();
  }

  // ---- writing (cases/writes.ts) ---------------------------------------------

  /**
   * Store a new complaint, or find the case that already holds the same
   * complaint (same normalised text: see fingerprint.ts). A duplicate adds an
   * audit line to the existing case and changes nothing else.
   */
  createOrFindCase(input: NewCaseInput): Promise<{ case: CaseSummary; existed: boolean; repeatOf: number | null }> {
    return createOrFindCase(this.ctx, input);
  }

  /** The latest case holding this complaint (same normalised text), or null; a repeat joins it only while it is open. */
  findDuplicate(complaintRaw: Uint8Array | string): Promise<{ id: number; status: CaseStatus } | null> {
    return findDuplicate(this.ctx, complaintRaw);
  }

  /**
   * Copy an evidence file into the vault (SHA-256 computed while copying) and
   * attach it to the case. Attaching the same content twice returns the record
   * already there. `meta` fills format and time span when known.
   */
  attachEvidence(caseId: number, evidence: EvidenceInput, meta: { format?: string; firstTs?: number; lastTs?: number } = {}): Promise<EvidenceRecord> {
    return attachEvidence(this.ctx, caseId, evidence, meta);
  }

  /**
   * Record one analysis run (the result is kept whole, as JSON). Updates the
   * case's verdict, moves 'new' to 'analysed', adds the accused addresses the
   * analysis settled on, and fills format/time span of evidence it read.
   */
  recordAnalysis(caseId: number, result: AnalysisResult, durationMs: number, options: AnalysisRunOptions = {}): Promise<AnalysisRun> {
    return recordAnalysis(this.ctx, caseId, result, durationMs, options);
  }

  /** Make this run the case's headline verdict (the operator accepted it, e.g. a repeat's run kept aside as weaker). */
  acceptRun(caseId: number, runId: number): Promise<CaseSummary> {
    return acceptRun(this.ctx, caseId, runId);
  }

  /** Take a file out of the case: its row and vault copy stay (custody), marked removed, with an audit line; runs no longer read it. */
  removeEvidence(caseId: number, evidenceId: number, reason?: string): Promise<EvidenceRecord> {
    return removeEvidence(this.ctx, caseId, evidenceId, reason);
  }

  /** Leave a file of the case out of the next run (or read it again); audited. */
  setEvidenceExcluded(caseId: number, evidenceId: number, excluded: boolean): Promise<EvidenceRecord> {
    return setEvidenceExcluded(this.ctx, caseId, evidenceId, excluded);
  }

  /** Save a new draft version (version numbers count up per case; old versions are kept). */
  saveDraft(caseId: number, draft: NewDraftInput): Promise<DraftVersion> {
    return saveDraft(this.ctx, caseId, draft);
  }

  /** Mark a draft version as sent (the case becomes 'replied' unless it is 'closed'). */
  markDraftSent(draftId: number): Promise<DraftVersion> {
    return markDraftSent(this.ctx, draftId);
  }

  /** A reply sent from the app: kept as it left, its draft version marked sent, the case replied. */
  recordSentReply(input: SentReplyInput): Promise<SentReplyRecord> {
    return recordSentReply(this.ctx, input);
  }

  sentRepliesOf(caseId: number): Promise<SentReplyRecord[]> {
    return sentRepliesOf(this.ctx, caseId);
  }

  sentReplyRaw(id: number): Promise<Uint8Array> {
    return sentReplyRaw(this.ctx, id);
  }

  /** With `expectedVersion` (the case's version as the operator saw it), a case changed since is refused: StoreError 'conflict'. */
  setStatus(caseId: number, status: CaseStatus, opts: { expectedVersion?: number } = {}): Promise<CaseSummary> {
    return setStatus(this.ctx, caseId, status, opts);
  }

  /** Add a tag (trimmed, at most 64 characters); returns the case's tags. */
  addTag(caseId: number, tag: string): Promise<string[]> {
    return addTag(this.ctx, caseId, tag);
  }

  removeTag(caseId: number, tag: string): Promise<string[]> {
    return removeTag(this.ctx, caseId, tag);
  }

  addNote(caseId: number, body: string): Promise<Note> {
    return addNote(this.ctx, caseId, body);
  }

  /**
   * Store a whole analysed case at once: complaint (or the existing case with
   * the same complaint), evidence, the run and the generated draft. Evidence is
   * copied into the vault first; the database rows are one transaction, so a
   * crash leaves either all of it or none (an unreferenced vault file at worst).
   */
  saveAnalysis(input: SaveAnalysisInput): Promise<SaveAnalysisResult> {
    return saveAnalysis(this.ctx, input);
  }

  /**
   * Analyse a stored case again (the engine improved): every evidence file is
   * re-hashed first, and a custody problem stops the re-analysis with a
   * 'custody_mismatch' or 'evidence_missing' StoreError. The new run is added;
   * old runs are kept. A new generated draft version is saved when its text
   * differs from the latest draft.
   */
  reanalyze(caseId: number, analyze: AnalyzeFn): Promise<{ run: AnalysisRun; draft: DraftVersion | null }> {
    return reanalyze(this.ctx, caseId, analyze);
  }

  /** Set the status of several cases in one transaction (an audit line per case that changed). Unknown ids refuse the whole change. */
  setStatusMany(caseIds: number[], status: CaseStatus): Promise<BulkResult> {
    return setStatusMany(this.ctx, caseIds, status);
  }

  /** Add a tag to several cases in one transaction (an audit line per case that did not have it). */
  addTagMany(caseIds: number[], tag: string): Promise<BulkResult> {
    return addTagMany(this.ctx, caseIds, tag);
  }

  /** Remove a tag from several cases in one transaction. */
  removeTagMany(caseIds: number[], tag: string): Promise<BulkResult> {
    return removeTagMany(this.ctx, caseIds, tag);
  }

  // ---- claims (claims.ts) ----------------------------------------------------------

  /** Claim the case for this store's operator, or renew their claim; another's live claim refuses ('conflict') unless `takeOver`. */
  claim(caseId: number, opts: { idleMs?: number; takeOver?: boolean } = {}): Promise<Claim> {
    return claimCase(this.ctx, caseId, opts);
  }

  releaseClaim(caseId: number): Promise<void> {
    return releaseClaim(this.ctx, caseId);
  }

  /** Who is working on the case now (null: nobody, or the claim lapsed). */
  claimOf(caseId: number): Promise<Claim | null> {
    return claimOf(this.ctx, caseId);
  }

  /** Hear every change committed to a shared (PostgreSQL) store, a colleague's included; a no-op on SQLite. Returns the stop function. */
  watchChanges(listener: (change: StoreChange) => void): Promise<() => Promise<void>> {
    return watchChanges(this.ctx, listener);
  }

  /** One app of the desk at a time per job, e.g. fetching a mailbox (leases.ts). */
  get leases(): Leases {
    return leasesOf(this.ctx);
  }

  /** Several operators on one store: claims of queue rows, one reply per case (desk.ts). */
  get desk(): Desk {
    return deskOf(this.ctx);
  }

  /** The operator's reply templates by report class and verdict, shared by the desk (reply-templates.ts). */
  get replyTemplates(): ReplyTemplates {
    return replyTemplatesOf(this.ctx);
  }

  // ---- reading (cases/reads.ts, search.ts) ------------------------------------

  /**
   * Everything about one case. Evidence custody is checked quickly (file
   * present, size as recorded: 'unchecked' when fine); pass
   * `{verifyEvidence: true}` to re-hash every file ('verified' or 'mismatch').
   * Throws 'not_found'.
   */
  getCase(id: number, opts: { verifyEvidence?: boolean } = {}): Promise<CaseDetail> {
    return getCase(this.ctx, id, opts);
  }

  /**
   * Re-hash every evidence file of the case against the SHA-256 recorded when
   * it was attached. The outcome is recorded (last_verified_*) and a mismatch
   * or a missing file goes into the audit trail; nothing is thrown for them:
   * look at `custody`. (On a read-only store nothing is recorded.)
   */
  verifyEvidence(caseId: number): Promise<EvidenceRecord[]> {
    return verifyEvidence(this.ctx, caseId);
  }

  /**
   * The path of a stored evidence file, for reading it again, after checking
   * its SHA-256. Throws 'custody_mismatch' or 'evidence_missing' loudly.
   */
  evidencePath(evidenceId: number): Promise<{ path: string; evidence: EvidenceRecord }> {
    return evidencePath(this.ctx, evidenceId);
  }

  /** Cases, newest received first, filtered. */
  listCases(filters: CaseFilters = {}): Promise<Page<CaseSummary>> {
    return listCases(this.ctx, filters);
  }

  /**
   * Full-text search over complaint text, subject, reporter, addresses and
   * drafts, with the same filters as listCases. Any text is safe to pass (FTS
   * syntax characters are treated as text). An empty query lists.
   */
  search(query: string, filters: SearchOptions = {}): Promise<Page<SearchHit>> {
    return searchCases(this.ctx, query, filters);
  }

  /**
   * Cases related to this one: the same accused address, the same reporter
   * (address, else domain), or an overlapping complaint time window (the 20
   * nearest). Strongest first: more reasons, then same-accused, then newest.
   */
  relatedCases(id: number, limit = 50): Promise<RelatedCase[]> {
    return relatedCases(this.ctx, id, limit);
  }

  /** Every complaint about one address (or CIDR) over time, oldest first (at most 5000). */
  hostHistory(address: string): Promise<HostHistory> {
    return hostHistory(this.ctx, address);
  }

  // ---- intake (intake-store.ts) -----------------------------------------------

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
    return (await intakeBatch(this.ctx, [input]))[0];
  }

  /**
   * intakeMessage for several messages in ONE transaction (one fsync): for
   * bulk imports. In order, so a reply later in the batch finds its thread.
   * A failure stores none of the batch.
   */
  intakeBatch(inputs: IntakeMessageInput[]): Promise<IntakeOutcome[]> {
    return intakeBatch(this.ctx, inputs);
  }

  /** The messages a case was built from, oldest first (without their bytes). */
  messagesOf(caseId: number): Promise<StoredMessage[]> {
    return messagesOf(this.ctx, caseId);
  }

  /** The raw bytes of one stored message. */
  messageRaw(messageRowId: number): Promise<Uint8Array> {
    return messageRaw(this.ctx, messageRowId);
  }

  /** Store a first look for a case (e.g. after the operator changed our networks); the queue rank follows. */
  recordFirstLook(caseId: number, firstLook: FirstLook): Promise<void> {
    return recordFirstLook(this.ctx, caseId, firstLook);
  }

  /** The stored first look of a case, or null. */
  firstLookOf(caseId: number): Promise<FirstLook | null> {
    return firstLookOf(this.ctx, caseId);
  }

  /** The UID cursor of an IMAP account ("user@host:port") and folder, or null before the first fetch. */
  getImapCursor(account: string, folder: string): Promise<StoredImapCursor | null> {
    return getImapCursor(this.ctx, account, folder);
  }

  /** Remember how far an IMAP folder was read (save it after the messages up to `lastUid` are stored). */
  saveImapCursor(account: string, folder: string, cursor: { uidValidity?: string | null; lastUid: number }): Promise<StoredImapCursor> {
    return saveImapCursor(this.ctx, account, folder, cursor);
  }

  // ---- queue and group replies (queue.ts, group-reply.ts) ----------------------

  /**
   * The work queue: open (not closed) cases, most urgent first: likely or
   * confirmed compromise, then repeat complaints about one host, then the
   * rest, likely false positives last; each with its reason in words. The
   * rank is precomputed on write, so a page is one index scan.
   */
  queue(opts: QueueOptions = {}): Promise<QueuePage> {
    return queuePage(this.ctx, opts);
  }

  // ---- quarantine (quarantine.ts) --------------------------------------------------

  /**
   * Keep a message that could not be read even within the budgets, as
   * received, with its error (the same bytes again count one more attempt).
   */
  quarantineMessage(input: QuarantineInput): Promise<QuarantinedMessage> {
    return quarantineMessage(this.ctx, input);
  }

  /** The quarantined messages, newest first (without their bytes). */
  quarantinedMessages(limit = 100): Promise<QuarantinedMessage[]> {
    return quarantinedMessages(this.ctx, limit);
  }

  /** The bytes of a quarantined message, as received. */
  quarantinedRaw(id: number): Promise<Uint8Array> {
    return quarantinedRaw(this.ctx, id);
  }

  /**
   * Groups of open cases that can share one reviewed reply: the same verdict
   * (full, else provisional), the same accused and the same activity. By
   * default the likely false positives (backscatter, legitimate) with at
   * least two cases, largest first.
   */
  caseGroups(opts: { verdicts?: Verdict[]; minSize?: number } = {}): Promise<CaseGroup[]> {
    return caseGroups(this.ctx, opts);
  }

  /** The open cases in the same group as this one (itself included), or null when it has no group. */
  groupOf(caseId: number): Promise<CaseGroup | null> {
    return groupOf(this.ctx, caseId);
  }

  /**
   * The group reply filled in for each case (see group-reply.ts), to read
   * before replyToGroup saves it: nothing is written.
   */
  previewGroupReply(caseIds: number[], template: ReplyTemplate, extras?: GroupReplyExtras): Promise<FilledGroupDraft[]> {
    return previewGroupReply(this.ctx, caseIds, template, extras);
  }

  /**
   * Answer a group of identical complaints with one reviewed template: one
   * new draft version (origin 'edited') per case, filled from THAT case's own
   * complaint (see analysis/draft/group-reply.ts for the placeholders). Every
   * case must be in the same group (see caseGroups), else 'invalid' and
   * nothing is saved. One transaction.
   */
  replyToGroup(caseIds: number[], template: ReplyTemplate, extras?: GroupReplyExtras): Promise<GroupReplyResult> {
    return replyToGroup(this.ctx, caseIds, template, extras);
  }

  // ---- in and out (bundles/, backup.ts) ------------------------------------------

  /**
   * Export a case as a bundle (see bundle.ts). `dest` is the bundle's
   * file name, or an existing folder to write `case-<id>.abuse-case.tar` into.
   * Evidence is verified first: a custody problem refuses the export.
   * Returns the bundle's path.
   */
  exportBundle(caseId: number, dest: string): Promise<string> {
    return exportBundle(this.ctx, caseId, dest);
  }

  /**
   * Import a bundle written by exportBundle. Every evidence file's SHA-256 is
   * checked against the manifest on the way in (a mismatch imports nothing:
   * 'custody_mismatch'). When the store already holds the same complaint,
   * nothing is imported and that case's id is returned with `existed: true`.
   */
  importBundle(path: string): Promise<ImportResult> {
    return importBundle(this.ctx, path);
  }

  /**
   * Back up the whole store into `destDir`: a consistent copy of the database
   * (VACUUM INTO, taken while the store stays usable) and the evidence folder.
   * `destDir` is created; an existing cases.sqlite there is refused.
   */
  backup(destDir: string): Promise<BackupResult> {
    return backup(this.ctx, destDir);
  }

  /**
   * Look through the evidence vault against the rows: files no row names
   * (orphans) and rows whose file is gone. With `removeOrphans`, the orphans
   * older than `minAgeMs` (default 10 minutes: a newer one may belong to an
   * import still running elsewhere) are removed.
   */
  vaultCheck(opts: { removeOrphans?: boolean; minAgeMs?: number } = {}): Promise<VaultCheck> {
    return vaultCheck(this.ctx, opts);
  }
}
