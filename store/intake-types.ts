/**
 * Intake (mail into cases), the ranked work queue and bulk actions: the
 * store-side data types. Plain data, like types.ts, so IPC can carry it as is.
 * Re-exported by case-store.ts.
 *
 * Times are milliseconds since the epoch (UTC) unless a name says otherwise.
 */
import type { Complaint } from '../analysis/complaint/complaint';
import type { FirstLook } from '../analysis/triage/first-look';
import type { QueueClass } from '../analysis/triage/rank';
import type { Claim } from './claim-types';
import type { CaseStatus, CaseSummary, DraftVersion, Verdict } from './types';

export type { QueueClass };

/** Where a message came from, as stored with it (matches cli/intake's MessageSource). */
export type IntakeSource =
  | { kind: 'mbox'; path: string; index: number }
  | { kind: 'maildir'; path: string; filename: string }
  | { kind: 'eml'; path: string; filename: string }
  | { kind: 'imap'; mailbox: string; uid: number; account?: string }
  | { kind: 'pasted' };

/**
 * One received message to take into the store. The message bytes are kept
 * as received; `complaint` is parseComplaint's reading (null when it could not
 * be read at all: the message is then stored as raw text with a warning).
 */
export interface IntakeMessageInput {
  raw: Uint8Array;
  source: IntakeSource;
  /** Threading headers, without angle brackets (cli/intake's describeMessage gives them). */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Why the message looks malformed (kept with the message row). */
  warnings: string[];
  complaint: Complaint | null;
  /** The first look at the complaint (analysis/triage firstLook), stored with the case for ranking. */
  firstLook: FirstLook | null;
}

/**
 * What became of one message:
 * - 'created': a new case;
 * - 'joined-thread': a reply in the thread of a stored message (In-Reply-To / References);
 * - 'joined-duplicate': the same complaint (normalised text) as a stored case;
 * - 'already-imported': this very message (same Message-ID, else same bytes) is stored already: nothing changed.
 */
export type IntakeAction = 'created' | 'joined-thread' | 'joined-duplicate' | 'already-imported';

export interface IntakeOutcome {
  caseId: number;
  /** The stored message row (the existing one for 'already-imported'). */
  messageRowId: number;
  action: IntakeAction;
  /** Evidence records added from the message's attachments. */
  evidenceAdded: number;
  warnings: string[];
}

/** One message row as stored. */
export interface StoredMessage {
  id: number;
  caseId: number;
  messageId: string | null;
  threadKey: string | null;
  /** SHA-256 (hex) of the raw bytes. */
  rawSha256: string;
  sourceKind: IntakeSource['kind'];
  /** Path (mbox, Maildir, .eml) or "account/mailbox" (IMAP). */
  sourceLocation: string;
  /** mbox index, IMAP UID; null otherwise. */
  sourceUid: number | null;
  /** Maildir / .eml file name. */
  sourceName: string | null;
  /** Date: header, else when imported. */
  receivedAt: number;
  importedAt: number;
  action: Exclude<IntakeAction, 'already-imported'>;
  warnings: string[];
}

/** An IMAP UID cursor, persisted per account and folder. */
export interface StoredImapCursor {
  /** "user@host:port". */
  account: string;
  folder: string;
  uidValidity: string | null;
  lastUid: number;
  updatedAt: number;
}

/** One row of the work queue: a case summary plus why it is where it is. */
export interface QueueItem extends CaseSummary {
  queueClass: QueueClass;
  /** Higher first within a class (precomputed on write). */
  rankScore: number;
  /** The ranking reason in words: "likely compromise: UDP bursts from port 770; 3rd report about 198.51.100.90 this week". */
  rankReason: string;
  /** The first look's provisional verdict (null when the case was not imported through intake). */
  provisionalVerdict: Verdict | null;
  provisionalConfidence: number | null;
  /** What the complainant says happened (Complaint.activity). */
  activity: string | null;
  /** Cases with the same group key can be answered together (see replyToGroup); null when the case has no accused. */
  groupKey: string | null;
  /** Who is working on the case (a live claim): added by the host (queue:list), absent when nobody is. */
  claim?: Claim;
}

export interface QueueOptions {
  /** Page size (default 50, at most 1000). */
  limit?: number;
  offset?: number;
  /** Only this class. */
  class?: QueueClass;
}

export interface QueuePage {
  items: QueueItem[];
  offset: number;
  limit: number;
  hasMore: boolean;
  /** Open (not closed) cases per class, whatever `class` filter was given. */
  counts: Record<QueueClass, number>;
  /** Messages that could not be read (quarantined, newest first): the host adds them to the first page (queue:list). */
  unreadable?: QuarantinedMessage[];
}

/** A message kept aside because it could not be read even within the intake budgets (store/quarantine.ts). */
export interface QuarantinedMessage {
  id: number;
  rawSha256: string;
  size: number;
  messageId: string | null;
  sourceKind: IntakeSource['kind'];
  /** The path, or "account/mailbox". */
  sourceLocation: string;
  /** mbox index or IMAP UID. */
  sourceUid: number | null;
  /** "abuse.mbox#3", "INBOX UID 7". */
  sourceName: string;
  /** Why it could not be read. */
  error: string;
  quarantinedAt: number;
  /** Times it failed (the same bytes met again). */
  attempts: number;
}

/** Cases that can be answered with one reviewed draft: same verdict, accused and activity. */
export interface CaseGroup {
  groupKey: string;
  /** The verdict shared (full if analysed, else provisional). */
  verdict: Verdict;
  accused: string;
  activity: string;
  caseIds: number[];
}

/** Outcome of a bulk action: which cases changed, and which already were as asked. */
export interface BulkResult {
  changed: number[];
  unchanged: number[];
}

/**
 * A reply template for a group. Placeholders, filled per case:
 * {reporter} (name, else address), {accused}, {quoted_lines} (that case's own
 * quoted log lines, one per line), {times} (its times, UTC), {subject} (its subject).
 */
export interface ReplyTemplate {
  subject: string;
  body: string;
}

export interface GroupReplyResult {
  /** One new draft version per case, personalised. */
  drafts: DraftVersion[];
}

/** Statuses a bulk status change may set (any). */
export type BulkStatus = CaseStatus;
