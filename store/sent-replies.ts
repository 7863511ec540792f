/**
 * Replies we sent, kept with the case exactly as they left (migration 0005):
 * recording one marks its draft version sent in the same transaction, so a
 * reply is never on the wire without the case knowing. Their Message-IDs let
 * the complainant's answer join the case (intake-store.ts). A reply made
 * under a reservation (reply-guard.ts) is recorded as it went out and ends
 * it; one recorded without is refused when someone else replied first.
 */
import { normaliseMessageId } from '../analysis/triage/normalise';
import type { Database } from './database';
import { StoreError } from './errors';
import { audit, changeStatus } from './cases/insert';
import { assertMayReply, endReservation, type ReplyReservation } from './reply-guard';
import { mustExist, read, write, type StoreContext } from './transaction';
import type { CaseStatus } from './types';

export interface SentReplyInput {
  caseId: number;
  draftId: number;
  messageId: string;
  recipients: string[];
  raw: Uint8Array;
  /** The reservation this reply was sent under (beginReply). */
  reservation?: ReplyReservation;
}

export interface SentReplyRecord {
  id: number;
  caseId: number;
  draftId: number | null;
  messageId: string;
  recipients: string[];
  sentAt: number;
  size: number;
}

interface SentRow {
  id: number;
  case_id: number;
  draft_id: number | null;
  message_id: string;
  recipients_json: string;
  sent_at: number;
  size: number;
}

const toRecord = (r: SentRow): SentReplyRecord => ({
  id: r.id, caseId: r.case_id, draftId: r.draft_id, messageId: r.message_id, recipients: JSON.parse(r.recipients_json) as string[], sentAt: r.sent_at, size: r.size,
});

export async function recordSentReply(ctx: StoreContext, input: SentReplyInput): Promise<SentReplyRecord> {
  return write(ctx, async (tx) => {
    await mustExist(tx, input.caseId);
    const d = await tx.get<{ case_id: number; version: number; sent_at: number | null }>('SELECT case_id, version, sent_at FROM drafts WHERE id = ?', [input.draftId]);
    if (!d || d.case_id !== input.caseId) throw new StoreError('not_found', `Case ${input.caseId} has no draft ${input.draftId}.`);
    // Under a reservation the mail has left: it is recorded whatever happened since.
    if (input.reservation?.caseId !== undefined && input.reservation.caseId !== input.caseId) throw new StoreError('invalid', `That reservation is for case ${input.reservation.caseId}.`);
    if (input.reservation) await endReservation(tx, input.reservation);
    else await assertMayReply(ctx, tx, input.caseId);
    const at = ctx.now();
    const { lastID } = await tx.run(
      'INSERT INTO sent_replies (case_id, draft_id, message_id, recipients_json, raw, sent_at) VALUES (?, ?, ?, ?, ?, ?)',
      [input.caseId, input.draftId, normaliseMessageId(input.messageId), JSON.stringify(input.recipients), Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength), at]);
    if (d.sent_at === null) await tx.run('UPDATE drafts SET sent_at = ? WHERE id = ?', [at, input.draftId]);
    await audit(ctx, tx, input.caseId, 'reply_sent', `draft version ${d.version} sent to ${input.recipients.join(', ')} as ${input.messageId}`);
    const c = (await tx.get<{ status: CaseStatus }>('SELECT status FROM cases WHERE id = ?', [input.caseId]))!;
    if (c.status === 'new' || c.status === 'analysed') await changeStatus(ctx, tx, input.caseId, c.status, 'replied');
    return toRecord((await tx.get<SentRow>(`${SELECT} WHERE id = ?`, [lastID]))!);
  });
}

const SELECT = 'SELECT id, case_id, draft_id, message_id, recipients_json, sent_at, length(raw) AS size FROM sent_replies';

export async function sentRepliesOf(ctx: StoreContext, caseId: number): Promise<SentReplyRecord[]> {
  return read(ctx, async () => (await ctx.db.all<SentRow>(`${SELECT} WHERE case_id = ? ORDER BY id`, [caseId])).map(toRecord));
}

export async function sentReplyRaw(ctx: StoreContext, id: number): Promise<Uint8Array> {
  const row = await read(ctx, () => ctx.db.get<{ raw: Buffer }>('SELECT raw FROM sent_replies WHERE id = ?', [id]));
  if (!row) throw new StoreError('not_found', `There is no sent reply ${id}.`);
  return new Uint8Array(row.raw);
}

/** The case one of our sent replies belongs to, for a message that answers it (normalised Message-IDs). */
export async function caseOfSentReply(tx: Database, messageIds: readonly string[]): Promise<number | null> {
  if (!messageIds.length) return null;
  const row = await tx.get<{ case_id: number }>(
    `SELECT case_id FROM sent_replies WHERE message_id IN (${messageIds.map(() => '?').join(',')}) ORDER BY id LIMIT 1`, [...messageIds]);
  return row?.case_id ?? null;
}
