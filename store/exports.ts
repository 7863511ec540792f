/**
 * What the CaseStore module re-exports besides the facade and its types, so
 * callers import the store's names from store/case-store alone (kept apart
 * to hold the facade within its size).
 */
export { StoreError } from './errors';
export type { StoreErrorCode } from './errors';
export { DATABASE_FILE, EVIDENCE_DIR, makeTempDataDir, removeDataDir } from './open';
export { storedComplaint } from './cases/rows';
export type { EvidenceInput, SaveAnalysisInput, SaveAnalysisResult } from './cases/writes';
export type { SentReplyInput, SentReplyRecord } from './sent-replies';
export type { SearchOptions } from './search';
export type { VaultCheck } from './vault-gc';
export type { Claim } from './claims';
export type { Desk } from './desk';
export type { ReplyReservation } from './reply-guard';
export type { StoreChange } from './pg/changes';
export type { QuarantineInput } from './quarantine';
export type { ReplyTemplates, StoredReplyTemplate } from './reply-templates';
export type { GroupReplyExtras } from './group-reply';
