/**
 * The one IPC contract shared by main, preload, the engine host, `serve` and
 * the renderer (Signal / VS Code style). Each `domain:verb` channel has a
 * zod request schema, checked by whoever receives the call, and a response
 * type; every reply is a `Result`. Events are `onX` with tuple payloads.
 *
 * The renderer's `AbuseDeskApi` type and the preload's implementation are
 * both derived from the tables below: add a channel here and every side
 * sees it (there is no hand-kept .d.ts).
 */
import { z } from 'zod';
import { CASE_STATUSES, QUEUE_CLASSES, VERDICTS } from '../../analysis/case-vocabulary';
import { CASE_FIELD_LIMITS, caseTag, noteBody } from '../../analysis/case-fields';
import { isAddressOrCidr } from './address-syntax';
import { channel } from './channel';
import { replyChannels } from './reply-channels';
import { customerChannels } from './customer-channels';
import { packetChannels } from './packet-channels';
import { caseChannels } from './case-channels';
import { templateChannels } from './template-channels';
import { deskChannels } from './desk-channels';
import type { Result, ResultError } from './result';
export type { ChannelDef } from './channel';
export type { ComposedReplyView, ReplySettings, SentReplyView, SmtpView } from './reply-channels';
export type { CustomerEntry, CustomerImportReply, CustomerListInfo } from './customer-channels';
export type { ConversationPacket, ConversationView, FollowSegment, PacketField, PacketLayer, PacketView } from './packet-channels';
export type { RepeatCandidate } from './case-channels';
export type { Placeholder, TemplateList, TemplatePreview, TemplateView } from './template-channels';
export type { Claim, DeskView } from './desk-channels';
import type {
  BackupResult, CaseDetail, CaseSummary, DraftVersion, HostHistory, ImportResult, Page, RelatedCase, SearchHit,
} from '../../store/types';
import type { BulkResult, QueuePage } from '../../store/case-store';
import type { ImportSummary } from '../../store/intake';

export type { Result, ResultError, ErrorCode } from './result';
export type { AnalysisResult } from '../../analysis/pipeline';
export type {
  AnalysisRun, AuditEntry, BackupResult, CaseDetail, CaseStatus, CaseSummary, CustodyState, DraftOrigin, DraftVersion,
  EvidenceRecord, HostHistory, ImportResult, Note, Page, RelatedCase, RelationReason, SearchHit,
} from '../../store/types';
export type { BulkResult, QueueClass, QueueItem, QueuePage } from '../../store/case-store';
export type { ImportSummary } from '../../store/intake';

// ---------------------------------------------------------------- limits

export const LIMITS = {
  /** A pasted complaint, as text (a large .eml with attachments fits). */
  complaintChars: 8 * 1024 * 1024,
  evidenceFiles: 32,
  pathChars: 4096,
  ourNets: 256,
  draftChars: CASE_FIELD_LIMITS.draftChars,
  /** One uploaded evidence file (serve). */
  uploadBytes: 2 * 1024 * 1024 * 1024,
  /** A case list or search page. */
  casePage: 500,
  noteChars: CASE_FIELD_LIMITS.noteChars,
  tagChars: CASE_FIELD_LIMITS.tagChars,
  tagsPerCall: 32,
  searchChars: 500,
  /** Mailboxes, folders or message files in one intake:importPaths. */
  intakeItems: 256,
  /** Cases in one bulk action or group reply. */
  bulkCases: 500,
  /** A queue page. */
  queuePage: 500,
} as const;

/** Evidence references that name an upload (serve) instead of a path: `upload:<32 hex>`. */
export const UPLOAD_REF = /^upload:[0-9a-f]{32}$/;

// ---------------------------------------------------------------- shared shapes

const cidr = z.string().max(64).refine(isAddressOrCidr, { message: 'not an IP address or CIDR block' });
/** A path (Electron) or an upload token (serve); the host decides which it accepts. */
const evidenceRef = z.string().min(1).max(LIMITS.pathChars).refine((s) => !s.includes('\0'), { message: 'NUL in path' });
const theme = z.enum(['system', 'light', 'dark']);
/** A stored row's id (case, draft): the store's integer key. */
const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const caseId = rowId;
const caseStatus = z.enum(CASE_STATUSES);
const verdict = z.enum(VERDICTS);
/** ms since the epoch, or an ISO date ("2025-12-18": a `to` bound includes that whole day). */
const dateBound = z.union([
  z.number().int().min(0).max(8.64e15),
  z.string().regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/, { message: 'not an ISO date' }),
]);
/** The same check the store makes on a bundle's tags (analysis/case-fields.ts). */
const tag = caseTag;
/** A reporter's domain: letters, digits, dots and hyphens ("example.net"). */
const domain = z.string().trim().toLowerCase().min(1).max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'not a domain name' });
/** Filters of `cases:list` and `cases:search`; all optional, combined with AND. */
const caseFilters = {
  status: z.array(caseStatus).max(CASE_STATUSES.length).optional(),
  verdict: z.array(verdict).max(VERDICTS.length).optional(),
  from: dateBound.optional(),
  to: dateBound.optional(),
  /** An address or CIDR block the case accuses. */
  accused: cidr.optional(),
  reporterDomain: domain.optional(),
  tag: tag.optional(),
  limit: z.number().int().min(1).max(LIMITS.casePage).optional(),
  offset: z.number().int().min(0).max(1e9).optional(),
};

/** What the operator configures once. */
export interface Settings {
  /** Our networks; the accused are the complaint's addresses inside them. */
  ourNets: string[];
  theme: 'system' | 'light' | 'dark';
}

export const DEFAULT_SETTINGS: Settings = { ourNets: [], theme: 'system' };

/** An evidence file the engine can read: a path in Electron, an upload token in the browser. */
export interface EvidenceRef {
  /** Pass this in `analysis:start`'s `evidence` and to `evidence:describe`. */
  ref: string;
  /** The file's own name, for display. */
  name: string;
  size: number;
}

/** `evidence:describe`: what a file is, before analysing it. */
export interface EvidenceDescription {
  ref: string;
  name: string;
  /** pcap, pcapng, argus, netfilter, snort, scanlogd, tcpdump-text, zeek-conn, fail2ban or unknown. */
  format: string;
  size: number;
  /** Packets (captures) or records (logs). */
  records: number;
  linkTypes: string[];
  /** ISO 8601 UTC of the first and last record, when the file has times. */
  firstTs?: string;
  lastTs?: string;
  /** True when a year or zone was inferred (syslog-style times). */
  timeInferred: boolean;
  warnings: string[];
  /** Set when the file could not be read to its end. */
  error?: string;
}

/** `store:info`: whether the case store is usable, and where it lives. */
export interface StoreInfo {
  available: boolean;
  /** The data folder (Electron's userData, `serve --data-dir`). */
  dataDir: string;
  /** Why the store is not available, or is read-only (`read_only`, `corrupt`, `too_new`...). */
  error?: ResultError;
}

/** `cases:export`: a save dialog in Electron; in the browser a file to download. */
export interface ExportReply {
  saved: boolean;
  /** Where the bundle was written (Electron). */
  path?: string;
  /** Browser: GET this path (same origin, the token cookie authenticates) to download the bundle. */
  download?: string;
  name?: string;
}

/** Which host the renderer runs in, and what it can do there. */
export interface AppInfo {
  host: 'electron' | 'browser';
  appVersion: string;
  engineVersion: string;
  /** False in the browser: evidence comes by upload, drafts by download. */
  nativeDialogs: boolean;
}

/** The IMAP account the app fetches complaints from (the password is never sent back). */
export interface ImapAccountView {
  host: string;
  port: number;
  /** Implicit TLS (imaps, 993); otherwise STARTTLS, required unless `allowPlaintextLogin`. */
  tls: boolean;
  /**
   * Without TLS, send the password in clear when the server offers no STARTTLS.
   * Off (the default): such a server is refused and the password never sent.
   */
  allowPlaintextLogin: boolean;
  user: string;
  folder: string;
  markSeen: boolean;
  /** Fetch every N minutes; 0: only on demand. */
  intervalMinutes: number;
  /** A password is stored (encrypted); its value never leaves main / serve. */
  hasPassword: boolean;
  /**
   * How the secret is kept: the OS keychain (Electron safeStorage), an AES-256-GCM file with a separate key file,
   * or in memory until the app closes ('session': the desktop app found no safe keychain and the operator chose that).
   */
  passwordStorage: 'safeStorage' | 'aes-file' | 'session' | 'none';
  /** The last fetch (on demand or by the timer) in this session. */
  lastFetch: ImapFetchStatus | null;
}

export interface ImapFetchStatus {
  at: number;
  ok: boolean;
  messages: number;
  created: number;
  /** Why it failed. */
  error?: string;
}

/** `imap:test`: the login worked and the folder opened. */
export interface ImapTestReply {
  folder: string;
  /** Messages in the folder. */
  messages: number;
  /** Messages newer than the last fetch (by UID). */
  newMessages: number;
}

/** `intake:importPaths`: what the import did; `cancelled` when the dialog was closed. */
export type IntakeReply = ImportSummary & { cancelled: boolean };

/** `queue:bulk`: the cases changed (and, for a reply, the drafts saved). */
export interface BulkReply extends BulkResult {
  drafts?: DraftVersion[];
}

/** `queue:groupDraft`: the template filled in for each case, before anything is saved. */
export interface GroupDraftPreview {
  caseId: number;
  subject: string;
  body: string;
  /** The reporter it goes to. */
  to: string | null;
}

// ---------------------------------------------------------------- channels


const empty = z.strictObject({});
const queueClass = z.enum(QUEUE_CLASSES);
const caseIds = z.array(caseId).min(1).max(LIMITS.bulkCases);
const uploadRef = z.string().regex(UPLOAD_REF, { message: 'not an upload reference' });
/** A reply template for a group: placeholders {reporter} {accused} {quoted_lines} {times} {subject}. */
const replyTemplate = {
  subject: z.string().max(998),
  body: z.string().max(LIMITS.draftChars).refine((s) => s.trim().length > 0, { message: 'the reply is empty' }),
};
const hostName = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, { message: 'not a host name or address' });

/** An IMAP account as the operator enters it (saved by imap:setAccount, tried as is by imap:test). */
const imapAccountFields = {
  host: hostName,
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  user: z.string().trim().min(1).max(320).regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'control characters in the user name' }),
  folder: z.string().trim().min(1).max(255).regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'control characters in the folder' }),
  markSeen: z.boolean(),
  /** Send the password unencrypted to a server without STARTTLS (absent: off). */
  allowPlaintextLogin: z.boolean().optional(),
  /** 0: no timer. */
  intervalMinutes: z.number().int().min(0).max(24 * 60),
};

export const channels = {
  'app:info': channel(empty).returns<AppInfo>(),

  /** Start an analysis; progress, result and failure arrive as events carrying the jobId. */
  'analysis:start': channel(z.strictObject({
    complaintText: z.string().min(1).max(LIMITS.complaintChars),
    /** The complaint's file name when it came from a file ("report.eml" helps the parser). */
    complaintName: z.string().max(255).optional(),
    evidence: z.array(evidenceRef).max(LIMITS.evidenceFiles),
    ourNets: z.array(cidr).max(LIMITS.ourNets),
    /** Mask third parties' addresses in the reply (default true). */
    mask: z.boolean().optional(),
    /**
     * The open case with the same complaint that the operator confirmed this
     * analysis may join. Without it a repeat complaint is saved as a new case
     * linked to the earlier one; a replied or closed case is never joined.
     */
    joinCase: z.number().int().positive().optional(),
  })).returns<{ jobId: string }>(),

  'analysis:cancel': channel(z.strictObject({
    jobId: z.string().min(1).max(64),
  })).returns<{ cancelled: boolean }>(),

  'evidence:describe': channel(z.strictObject({
    path: evidenceRef,
  })).returns<EvidenceDescription>(),

  'settings:get': channel(empty).returns<Settings>(),

  'settings:set': channel(z.strictObject({
    ourNets: z.array(cidr).max(LIMITS.ourNets).optional(),
    theme: theme.optional(),
  })).returns<Settings>(),

  /** Native open dialog for evidence (Electron only; `unsupported` in the browser). Cancel gives []. */
  'dialog:openEvidence': channel(empty).returns<{ files: EvidenceRef[] }>(),

  /** Native open dialog for a complaint file (.eml, .txt); null when cancelled (Electron only). */
  'dialog:openComplaint': channel(empty).returns<{ name: string; text: string } | null>(),

  /** Save the reply draft: a save dialog in Electron, a download in the browser. */
  'draft:save': channel(z.strictObject({
    format: z.enum(['eml', 'txt']),
    subject: z.string().max(998),
    body: z.string().max(LIMITS.draftChars),
    /** Recipient for the .eml To: header. */
    to: z.string().max(998).optional(),
    /** The case it answers: the .eml threads under its complaint (see reply:compose). */
    caseId: z.number().int().positive().optional(),
  })).returns<{ saved: boolean; path?: string }>(),

  // ------------------------------------------------------------ the case store
  // Every finished analysis is saved as a case by main (see JobResult.saved);
  // these channels read and change stored cases. Store failures answer with
  // the store's codes (read_only, disk_full, corrupt, ...): the renderer keeps
  // the operator's unsaved work and says what went wrong.

  'store:info': channel(empty).returns<StoreInfo>(),

  /** Copy the database and the evidence vault into DATA/backups/<time>/. */
  'store:backup': channel(empty).returns<BackupResult>(),

  /** Newest first. */
  'cases:list': channel(z.strictObject(caseFilters)).returns<Page<CaseSummary>>(),

  /** Full-text search over complaint, notes, drafts and tags, with the same filters. */
  'cases:search': channel(z.strictObject({
    ...caseFilters,
    query: z.string().trim().min(1).max(LIMITS.searchChars),
  })).returns<Page<SearchHit>>(),

  /** One case with its runs, evidence (custody), drafts, notes and audit trail. */
  'cases:get': channel(z.strictObject({ id: caseId })).returns<CaseDetail>(),

  /** Re-hash every evidence file of the case (chain of custody) and return the case. */
  'cases:verifyEvidence': channel(z.strictObject({ id: caseId })).returns<CaseDetail>(),

  /** Same accused, same reporter, overlapping time window. */
  'cases:related': channel(z.strictObject({ id: caseId })).returns<RelatedCase[]>(),

  /** Every complaint about one address (or block) over time. */
  'cases:hostHistory': channel(z.strictObject({ address: cidr })).returns<HostHistory>(),

  'cases:setStatus': channel(z.strictObject({ id: caseId, status: caseStatus })).returns<CaseDetail>(),

  'cases:tag': channel(z.strictObject({
    id: caseId,
    add: z.array(tag).max(LIMITS.tagsPerCall).optional(),
    remove: z.array(tag).max(LIMITS.tagsPerCall).optional(),
  })).returns<CaseDetail>(),

  'cases:addNote': channel(z.strictObject({
    id: caseId,
    body: noteBody,
  })).returns<CaseDetail>(),

  /** The operator's edited reply, as a new draft version. */
  'cases:saveDraft': channel(z.strictObject({
    id: caseId,
    subject: z.string().max(998),
    body: z.string().max(LIMITS.draftChars),
  })).returns<DraftVersion>(),

  /** The operator says this version went out (copied, opened in the mail client, saved as .eml). */
  'cases:markSent': channel(z.strictObject({ id: caseId, draftId: rowId })).returns<DraftVersion>(),

  /** Analyse the stored complaint and evidence again; the old runs are kept. */
  'cases:reanalyze': channel(z.strictObject({ id: caseId })).returns<CaseDetail>(),

  /** Write the case as a bundle (tar): a save dialog in Electron, a download in the browser. */
  'cases:export': channel(z.strictObject({ id: caseId })).returns<ExportReply>(),

  /** Import a bundle: a path (Electron) or an upload token (browser), as for evidence. */
  'cases:import': channel(z.strictObject({ ref: evidenceRef })).returns<ImportResult>(),

  // ------------------------------------------------------------ intake and the queue
  // Complaint mail into cases (store/intake.ts), the ranked work queue and bulk actions.

  /**
   * Import mail: an mbox file, a Maildir, a folder of .eml files or .eml files.
   * `dialog` (Electron): a native dialog picks them; `paths` (Electron: absolute
   * paths, e.g. dropped files); `uploads` (browser: `upload:<id>` of uploaded .mbox/.eml files).
   */
  'intake:importPaths': channel(z.strictObject({
    dialog: z.enum(['files', 'folder']).optional(),
    paths: z.array(evidenceRef).min(1).max(LIMITS.intakeItems).optional(),
    uploads: z.array(uploadRef).min(1).max(LIMITS.intakeItems).optional(),
  }).refine((r) => [r.dialog, r.paths, r.uploads].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of dialog, paths or uploads',
  })).returns<IntakeReply>(),

  /** The IMAP account (null before one is set); never the password. */
  'imap:getAccount': channel(empty).returns<ImapAccountView | null>(),

  /** Save the IMAP account; `password` replaces the stored one (absent: keep it), `clearPassword` forgets it. */
  'imap:setAccount': channel(z.strictObject({
    ...imapAccountFields,
    password: z.string().min(1).max(1024).optional(),
    clearPassword: z.boolean().optional(),
  })).returns<ImapAccountView>(),

  /**
   * Log in and open the folder (nothing is fetched, nothing is saved). With an
   * account, that one as it is on screen (password absent: the stored one);
   * without, the saved account.
   */
  'imap:test': channel(z.strictObject({
    account: z.strictObject({ ...imapAccountFields, password: z.string().min(1).max(1024).optional() }).optional(),
  })).returns<ImapTestReply>(),

  /** Fetch the messages newer than the last fetch now, and import them. */
  'imap:fetch': channel(empty).returns<ImportSummary>(),

  /** The open cases ranked (compromise, repeat, other, likely false positive), with counts per class. */
  'queue:list': channel(z.strictObject({
    class: queueClass.optional(),
    limit: z.number().int().min(1).max(LIMITS.queuePage).default(100),
    offset: z.number().int().min(0).max(1e9).default(0),
  })).returns<QueuePage>(),

  /** One action on many cases: a tag, a status, or one reviewed reply to a group of identical complaints. */
  'queue:bulk': channel(z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('tag'), caseIds, tag, remove: z.boolean().optional() }),
    z.strictObject({ action: z.literal('status'), caseIds, status: caseStatus }),
    z.strictObject({ action: z.literal('reply'), caseIds, ...replyTemplate }),
  ])).returns<BulkReply>(),

  /** Preview the group reply: the template filled in for each case; nothing is saved. */
  'queue:groupDraft': channel(z.strictObject({ caseIds, ...replyTemplate })).returns<GroupDraftPreview[]>(),

  ...replyChannels,
  ...customerChannels,
  ...packetChannels,
  ...caseChannels,
  ...templateChannels,
  ...deskChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

/** What the caller passes (before validation: zod's input type). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What the handler receives (after validation). */
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = Exclude<Channels[C]['response'], undefined>;

export function isChannelName(s: unknown): s is ChannelName {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(channels, s);
}

/** Validate a request against its channel's schema: the receiver's first step. */
export function parseRequest<C extends ChannelName>(name: C, raw: unknown): Result<ParsedRequestOf<C>> {
  const parsed = channels[name].request.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as ParsedRequestOf<C> };
  const detail = parsed.error.issues.slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`).join('; ');
  return { ok: false, error: { code: 'bad_request', message: `${name}: ${detail}` } };
}

// ---------------------------------------------------------------- events
// The event table lives in ./events (no zod) so the preload bundle stays small.
export * from './events';
import type { EventArgs, EventName } from './events';

// ---------------------------------------------------------------- the renderer's API

export type Unsubscribe = () => void;

/**
 * `window.abuseDesk` in Electron (the preload) and the HTTP/WebSocket client
 * in the browser (renderer/lib/http-client.ts) both implement this.
 */
export type AbuseDeskApi = {
  readonly host: 'electron' | 'browser';
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /**
   * Turn a dropped or picked File into an evidence reference: its path in
   * Electron (no content is read by the renderer), an upload in the browser.
   */
  evidenceFromFile(file: File, onUploadProgress?: (bytesDone: number, bytesTotal: number) => void): Promise<Result<EvidenceRef>>;
} & {
  readonly [E in EventName]: (listener: (...args: EventArgs<E>) => void) => Unsubscribe;
};

declare global {
  interface Window {
    /** Set by the preload in the desktop app; absent in the browser (use renderer/lib/http-client). */
    abuseDesk?: AbuseDeskApi;
  }
}

// ---------------------------------------------------------------- transport names
// In ./transport (no zod) so the browser client does not bundle the schemas.
export * from './transport';
