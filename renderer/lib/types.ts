import type { AnalysisResult } from '../../analysis/pipeline';

export type { AnalysisResult };
export type {
  AbuseDeskApi, AppInfo, EvidenceDescription, EvidenceRef, JobProgress, ResultError, Settings, Unsubscribe,
  AnalysisRun, AuditEntry, BackupResult, CaseDetail, CaseStatus, CaseSummary, CustodyState, DraftVersion,
  EvidenceRecord, ExportReply, HostHistory, ImportResult, Note, Page, RelatedCase, RelationReason, SearchHit, StoreInfo,
  CaseSaved, BulkReply, GroupDraftPreview, ImapAccountView, ImapFetchStatus, ImapTestReply, ImportSummary, IntakeReply,
  QueueClass, QueueItem, QueuePage, QueueChanged, ComposedReplyView, ReplySettings, SentReplyView,
} from '../../electron/common/contract';
export type { ConversationPacket, FollowSegment, PacketField, PacketLayer, PacketView } from '../../electron/common/contract';
export type { Placeholder, TemplateList, TemplatePreview, TemplateView } from '../../electron/common/contract';

export type Verdict = AnalysisResult['verdict'];
export type ResultFinding = AnalysisResult['findings'][number];
export type ResultEvidenceRef = ResultFinding['evidence'][number];
export type DraftFormat = 'eml' | 'txt';
