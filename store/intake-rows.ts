/**
 * Row helpers for intake: finding a stored message, naming a source, the
 * stand-in complaint for a message that could not be read.
 */
import { basename } from 'node:path';
import type { Complaint } from '../analysis/complaint/complaint';
import type { Database } from './database';
import type { CaseGroup, IntakeSource, StoredMessage } from './intake-types';
import type { Verdict } from './types';

export interface MessageRow {
  id: number; case_id: number; message_id: string | null; thread_key: string | null; raw_sha256: string; source_kind: IntakeSource['kind'];
  source_location: string; source_uid: number | null; source_name: string | null; received_at: number; imported_at: number;
  action: StoredMessage['action']; warnings_json: string;
}

export const MESSAGE_COLS = `id, case_id, message_id, thread_key, raw_sha256, source_kind, source_location, source_uid, source_name,
  received_at, imported_at, action, warnings_json`;

export function toMessage(r: MessageRow): StoredMessage {
  return {
    id: r.id, caseId: r.case_id, messageId: r.message_id, threadKey: r.thread_key, rawSha256: r.raw_sha256, sourceKind: r.source_kind,
    sourceLocation: r.source_location, sourceUid: r.source_uid, sourceName: r.source_name, receivedAt: r.received_at, importedAt: r.imported_at,
    action: r.action, warnings: JSON.parse(r.warnings_json) as string[],
  };
}

/** The stored row of this message: by Message-ID when it has one, else by its bytes. */
export async function findStoredMessage(db: Database, messageId: string | undefined, rawSha256: string): Promise<{ id: number; case_id: number } | undefined> {
  return messageId
    ? db.get<{ id: number; case_id: number }>('SELECT id, case_id FROM messages WHERE message_id = ? ORDER BY id LIMIT 1', [messageId])
    : db.get<{ id: number; case_id: number }>('SELECT id, case_id FROM messages WHERE raw_sha256 = ? ORDER BY id LIMIT 1', [rawSha256]);
}

/** A short name for the complaint ("abuse.mbox#3", "1733.M1.host:2,S", "INBOX UID 7"). */
export function intakeSourceName(s: IntakeSource): string {
  switch (s.kind) {
    case 'mbox': return `${basename(s.path)}#${s.index + 1}`;
    case 'maildir': case 'eml': return s.filename;
    case 'imap': return `${s.mailbox} UID ${s.uid}`;
    default: return 'pasted';
  }
}

/** Where to find it again: the path, or "account/mailbox". */
export function intakeSourceLocation(s: IntakeSource): string {
  switch (s.kind) {
    case 'mbox': case 'maildir': case 'eml': return s.path;
    case 'imap': return `${s.account ?? ''}/${s.mailbox}`;
    default: return 'pasted';
  }
}

/** The stand-in for a message parseComplaint could not read: its text as received, nothing understood. */
export function rawComplaint(raw: Uint8Array, warnings: string[]): Complaint {
  return {
    format: 'raw', reporter: {}, accused: [], targets: [], ports: { source: [], destination: [] }, activity: 'other', times: [], zone: 'UTC',
    quotedEvents: [], text: new TextDecoder('utf-8', { fatal: false }).decode(raw), attachments: [], warnings: [...warnings],
  };
}

export function parseGroup(key: string, ids: string): CaseGroup {
  const [verdict, accused, activity] = key.split('|');
  return { groupKey: key, verdict: verdict as Verdict, accused, activity, caseIds: ids.split(',').map(Number).sort((a, b) => a - b) };
}
