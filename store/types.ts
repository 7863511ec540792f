/**
 * The case store's public data types. Everything here is plain data (no
 * classes, no Buffers except the raw complaint), so it survives structured
 * clone and JSON: the IPC layer can hand it to the renderer unchanged.
 *
 * Times are milliseconds since the epoch (UTC) unless a name says otherwise.
 */
import type { Complaint } from '../analysis/complaint/complaint';
import type { AnalysisResult } from '../analysis/pipeline';
import type { CaseStatus, Verdict } from '../analysis/case-vocabulary';

/** Declared once in analysis/case-vocabulary.ts (the contract and the renderer read the same lists). */
export { CASE_STATUSES, VERDICTS, type CaseStatus, type Verdict } from '../analysis/case-vocabulary';

export type DraftOrigin = 'generated' | 'edited';

/** The complaint as understood, as stored: the parsed Complaint without attachment bytes and parsed quoted events. */
export type StoredComplaint = Omit<Complaint, 'attachments' | 'quotedEvents'> & {
  /** Attachment file names (their bytes stay in the raw complaint). */
  attachments: string[];
  /** How many of their log lines were parsed. */
  quotedLines: number;
};

/** One row of a case list or search result: what a list view needs, nothing heavy. */
export interface CaseSummary {
  id: number;
  createdAt: number;
  updatedAt: number;
  /** The complaint's Date: header, else when the case was created. */
  receivedAt: number;
  status: CaseStatus;
  subject: string | null;
  reporterAddress: string | null;
  reporterName: string | null;
  /** Lower-case domain of the reporter's address. */
  reporterDomain: string | null;
  /** Addresses the complaint (and the latest analysis) accuses, canonical text form. */
  accused: string[];
  /** Verdict of the latest analysis run; null before the first. */
  verdict: Verdict | null;
  confidence: number | null;
  tags: string[];
  /** The complaint's time window (from the times it quotes), when it gives any. */
  windowStart: number | null;
  windowEnd: number | null;
  /** Counts up with every audited change; pass it back as `expectedVersion` so a change made on an old view is refused. Always set by the store. */
  version?: number;
}

/** Chain of custody of one stored evidence file. */
export type CustodyState =
  /** SHA-256 re-computed now and equal to the one recorded at attach time. */
  | 'verified'
  /** Not re-hashed in this call (getCase only compares the size, to stay fast); see `lastVerifiedAt`. */
  | 'unchecked'
  /** The stored file's content differs from what was attached. Show this loudly. */
  | 'mismatch'
  /** The stored file is gone. Show this loudly too. */
  | 'missing';

export interface EvidenceRecord {
  id: number;
  caseId: number;
  sha256: string;
  originalName: string;
  size: number;
  /** Format id from the reader that recognised it ('pcap', 'pcapng', 'netfilter', ...), once analysed. */
  format: string | null;
  /** Time span of its records, microseconds since the epoch (as the readers report), once analysed. */
  firstTs: number | null;
  lastTs: number | null;
  attachedAt: number;
  custody: CustodyState;
  /** When the SHA-256 was last re-computed, and whether it matched then. */
  lastVerifiedAt: number | null;
  lastVerifiedOk: boolean | null;
  /** The SHA-256 found when it did not match. */
  actualSha256?: string;
  /** When the operator took it out of the case (the row and the vault file stay, for custody); null while in the case. */
  removedAt: number | null;
  /** Left out of the next run by the operator (still in the case). */
  excluded: boolean;
}

/** The options an analysis ran with, kept so a re-analysis can use the same. */
export interface AnalysisRunOptions {
  ourNets?: string[];
  evidenceZone?: string;
  mask?: boolean;
}

export interface AnalysisRun {
  id: number;
  caseId: number;
  createdAt: number;
  engineVersion: string;
  schemaVersion: number;
  verdict: Verdict;
  confidence: number;
  durationMs: number;
  options: AnalysisRunOptions;
  /** The whole AnalysisResult as the engine returned it. */
  result: AnalysisResult;
}

export interface DraftVersion {
  id: number;
  caseId: number;
  /** 1, 2, 3... per case. */
  version: number;
  subject: string;
  body: string;
  origin: DraftOrigin;
  /** The analysis run that generated it (origin 'generated'). */
  runId: number | null;
  createdAt: number;
  /** When it was marked sent; null if not. */
  sentAt: number | null;
}

export interface Note {
  id: number;
  caseId: number;
  body: string;
  createdAt: number;
}

/** One line of the audit trail: what was done to the case, when. */
export interface AuditEntry {
  id: number;
  caseId: number;
  at: number;
  /** 'created', 'duplicate_submitted', 'evidence_attached', 'analysed', 'draft_saved', 'draft_sent', 'status_changed', 'tag_added', 'tag_removed', 'note_added', 'custody_verified', 'custody_mismatch', 'exported', 'imported'. */
  action: string;
  /** Plain-word detail ("status new → analysed", "evidence capture.pcap sha256 ab12…"). */
  detail: string;
  /** The operator who made the change (null on lines written before operators were recorded). Always set by the store; optional for older callers' own objects. */
  operator?: string | null;
}

/**
 * One line of the audit trail a case bundle brought with it: what the
 * exporting desk says happened, kept apart from our own audit (its times and
 * words are the bundle's claim, not something this desk saw).
 */
export interface ImportedHistoryEntry {
  /** The bundle's file name. */
  bundle: string;
  /** When we imported it. */
  importedAt: number;
  /** When the bundle says it happened. */
  at: number;
  action: string;
  detail: string;
}

/** Everything about one case: what the case view shows. */
export interface CaseDetail extends CaseSummary {
  complaintName: string;
  /** The complaint as received (raw text or .eml bytes), decoded as UTF-8 for display. */
  complaintRaw: string;
  /** The complaint as understood. */
  complaint: StoredComplaint;
  /** SHA-256 of the normalised complaint text (duplicate detection); a repeat case's is derived from the case it repeats. */
  fingerprint: string;
  /** The earlier case with the same complaint that this case repeats (it was replied or closed, or the operator chose a new case). */
  repeatOf: number | null;
  /** Later cases that repeat this one. */
  repeatedBy: number[];
  /** The run whose verdict is the case's (the latest one the operator accepted); null before the first. */
  acceptedRunId: number | null;
  targets: string[];
  evidence: EvidenceRecord[];
  /** Oldest first; the last is the current one. */
  runs: AnalysisRun[];
  /** Oldest first; the last is the current one. */
  drafts: DraftVersion[];
  notes: Note[];
  /** Oldest first. */
  audit: AuditEntry[];
  /** The audit trail of the bundle the case was imported from (oldest first; empty for a case of our own). */
  importedHistory?: ImportedHistoryEntry[];
  /** True when any evidence file is 'mismatch' or 'missing': show a banner. */
  custodyProblem: boolean;
}

/** Filters shared by listCases and search. All optional; combined with AND. */
export interface CaseFilters {
  status?: CaseStatus | CaseStatus[];
  verdict?: Verdict | Verdict[];
  /** receivedAt >= from (ms since epoch, or an ISO date string). */
  from?: number | string;
  /** receivedAt < to; a date without a time ("2025-12-18") includes that whole day. */
  to?: number | string;
  /** An address ("198.51.100.10") or a CIDR ("198.51.100.0/24", "2001:db8::/32") the case accuses. */
  accused?: string;
  /** The reporter's domain; subdomains match too ("example.net" matches "abuse.example.net"). */
  reporterDomain?: string;
  tag?: string;
  /** Page size (default 50, at most 1000). */
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  offset: number;
  limit: number;
  /** True when there is at least one more item after this page. */
  hasMore: boolean;
}

export interface SearchHit extends CaseSummary {
  /** A short excerpt around the first match, with the matches between « and ». */
  snippet: string;
}

export type RelationReason = 'same-accused' | 'same-reporter' | 'overlapping-window';

export interface RelatedCase {
  case: CaseSummary;
  reasons: RelationReason[];
  /** The accused addresses both cases share. */
  sharedAddresses: string[];
}

export interface HostHistory {
  address: string;
  /** Oldest first. */
  cases: CaseSummary[];
  firstSeen: number | null;
  lastSeen: number | null;
  byVerdict: Record<Verdict | 'none', number>;
  byStatus: Record<CaseStatus, number>;
}

/** Input of createOrFindCase. */
export interface NewCaseInput {
  /** The complaint as received: raw text or .eml bytes. */
  complaintRaw: Uint8Array | string;
  /** File name it came from ('stdin', 'pasted', 'complaint.eml'). */
  complaintName: string;
  /** The complaint as understood by analysis/complaint's parseComplaint. */
  complaint: Complaint;
  tags?: string[];
}

export interface NewDraftInput {
  subject: string;
  body: string;
  origin: DraftOrigin;
  /** The run that generated it (origin 'generated'). */
  runId?: number;
}

/** What a re-analysis gets to work with; evidence paths point into the vault and were verified just before. */
export interface ReanalyzeInput {
  complaintRaw: Uint8Array;
  complaintName: string;
  evidence: Array<{ path: string; originalName: string; sha256: string }>;
  options: AnalysisRunOptions;
}

export type AnalyzeFn = (input: ReanalyzeInput) => Promise<AnalysisResult>;

export interface BackupResult {
  databasePath: string;
  evidenceFiles: number;
  bytes: number;
}

export interface ImportResult {
  caseId: number;
  /** True when the same complaint was already in the store: nothing was imported. */
  existed: boolean;
}
