/**
 * One reply per case across the desk. Before the mail goes out the sender
 * reserves the case's reply (beginReply): refused when another operator
 * already replied (naming them and when) or is sending one right now. The
 * check and the reservation are one write transaction, under the store's
 * write lock on both backends, so of two operators pressing Send at once
 * exactly one gets through. The reservation is a lease ('reply:CASE',
 * leases.ts) that lapses by itself when its app dies mid-send; recording the
 * sent reply (sent-replies.ts) ends it, so does abandonReply after a failed
 * send.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from './database';
import { StoreError } from './errors';
import { mustExist, operatorOf, write, type StoreContext } from './transaction';

/** How long a reservation stands without the reply being recorded: past the SMTP timeouts of a send (services/reply/send-smtp.ts). */
export const REPLY_SEND_TTL_MS = 5 * 60_000;

/** A case's reply reserved for one send; hand it to recordSentReply or abandonReply. */
export interface ReplyReservation {
  caseId: number;
  draftId: number;
  /** The lease holder: the operator and a token of this one send. */
  holder: string;
  expiresAt: number;
}

/** Audit actions that mean the complainant got a reply (sent from the app, or marked sent from a mail client). */
const REPLIED = ['reply_sent', 'draft_sent'];
const iso = (ms: number): string => new Date(ms).toISOString();
const leaseName = (caseId: number): string => `reply:${caseId}`;
/** The operator part of a holder 'OPERATOR#TOKEN'. */
const operatorOfHolder = (holder: string): string => holder.slice(0, holder.lastIndexOf('#'));

/**
 * Refuse ('conflict') a reply by the store's operator when someone else
 * replied to the case, or holds a live reservation other than `holder`.
 * Lines written before operators were recorded (NULL) name nobody and do not
 * refuse.
 */
export async function assertMayReply(ctx: StoreContext, tx: Database, caseId: number, holder?: string): Promise<void> {
  const me = operatorOf(ctx);
  const other = await tx.get<{ operator: string; at: number; detail: string }>(
    `SELECT operator, at, detail FROM audit WHERE case_id = ? AND action IN (${REPLIED.map(() => '?').join(', ')}) AND operator IS NOT NULL AND operator <> ?
     ORDER BY id LIMIT 1`, [caseId, ...REPLIED, me]);
  if (other) {
    throw new StoreError('conflict', `Case ${caseId} was already replied to by ${other.operator} at ${iso(other.at)} (${other.detail}). `
      + 'Your reply was not sent: read their reply on the case first.');
  }
  const pending = await tx.get<{ holder: string; acquired_at: number; expires_at: number }>(
    'SELECT holder, acquired_at, expires_at FROM leases WHERE name = ? AND expires_at > ?', [leaseName(caseId), ctx.now()]);
  if (pending && pending.holder !== holder) {
    const who = operatorOfHolder(pending.holder);
    throw new StoreError('conflict', `${who === me ? 'You are' : `${who} is`} sending a reply to case ${caseId} (since ${iso(pending.acquired_at)}). `
      + `Your reply was not sent; if that send never finishes, the case is free again at ${iso(pending.expires_at)}.`);
  }
}

/**
 * Reserve the case's reply for sending draft `draftId` (of that case, not yet
 * sent). Refused ('conflict') when someone else replied or is sending.
 */
export async function beginReply(ctx: StoreContext, caseId: number, draftId: number): Promise<ReplyReservation> {
  const holder = `${operatorOf(ctx)}#${randomUUID()}`;
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    const d = await tx.get<{ case_id: number; version: number; sent_at: number | null }>('SELECT case_id, version, sent_at FROM drafts WHERE id = ?', [draftId]);
    if (!d || d.case_id !== caseId) throw new StoreError('not_found', `Case ${caseId} has no draft ${draftId}.`);
    if (d.sent_at !== null) throw new StoreError('conflict', `Version ${d.version} of case ${caseId} was already sent on ${iso(d.sent_at)}.`);
    await assertMayReply(ctx, tx, caseId);
    const now = ctx.now();
    await tx.run(`INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
    [leaseName(caseId), holder, now, now + REPLY_SEND_TTL_MS]);
    return { caseId, draftId, holder, expiresAt: now + REPLY_SEND_TTL_MS };
  });
}

/** End a reservation inside the transaction that recorded its reply. */
export async function endReservation(tx: Database, r: ReplyReservation): Promise<void> {
  await tx.run('DELETE FROM leases WHERE name = ? AND holder = ?', [leaseName(r.caseId), r.holder]);
}

/** Give a reservation up (the send failed): the case is free to reply to again. */
export async function abandonReply(ctx: StoreContext, r: ReplyReservation): Promise<void> {
  await write(ctx, (tx) => endReservation(tx, r));
}
