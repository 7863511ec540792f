/**
 * The store's side of mail intake: a received message opens a case or joins
 * the one it belongs to (the same message again, a reply in a stored thread,
 * or the same complaint), its attachments become evidence, the first look is
 * kept with the case and the queue rank follows; plus the stored messages,
 * first looks and IMAP cursors. intake.ts parses the messages before this
 * stores them.
 */
import { createHash } from 'node:crypto';
import type { Complaint } from '../analysis/complaint/complaint';
import type { FirstLook } from '../analysis/triage/first-look';
import { normaliseMessageId, threadKey } from '../analysis/triage/normalise';
import { audit, createOrFindIn, insertEvidence, writeComplaintRaw } from './cases/insert';
import { toBytes } from './cases/rows';
import type { Database } from './database';
import { StoreError } from './errors';
import { findStoredMessage, intakeSourceLocation, intakeSourceName, MESSAGE_COLS, rawComplaint, toMessage, type MessageRow } from './intake-rows';
import type { IntakeAction, IntakeMessageInput, IntakeOutcome, StoredImapCursor, StoredMessage } from './intake-types';
import { firstLookColumns, rerankAround } from './queue';
import { assertWritable, commitWindow, mustExist, read, write, type StoreContext } from './transaction';
import { PendingBlobs } from './vault-gc';
import { caseOfSentReply } from './sent-replies';
import { putWholeMessage, type WholeMessageFile } from './whole-message';

/** A message to store; `whole` when `raw` holds only its first bytes (store/whole-message.ts). */
export type IntakeBatchInput = IntakeMessageInput & { whole?: WholeMessageFile };

interface PreparedIntake {
  input: IntakeBatchInput; raw: Buffer; rawSha256: string; messageId: string | undefined; warnings: string[];
  /** Set when the message is stored already. */
  stored?: { id: number; case_id: number };
  complaint?: Complaint;
  /** `whole`: the message as received, kept as evidence left out of the runs. */
  blobs: Array<{ sha256: string; size: number; name: string; whole?: true }>;
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Store messages in order, in one transaction (a reply later in the batch finds its thread); a failure stores none.
 * Attachments are copied into the vault first; the files this call created that no row ends up naming (a failure, a
 * message stored meanwhile by another process) are removed again, and a message repeating an earlier one of the
 * batch (the same Message-ID, else the same bytes) copies none.
 */
export async function intakeBatch(ctx: StoreContext, inputs: IntakeBatchInput[]): Promise<IntakeOutcome[]> {
  assertWritable(ctx);
  const pending = new PendingBlobs(ctx.vault);
  const named = new Set<string>();
  try {
    const prepared: PreparedIntake[] = [];
    const inBatch = new Set<string>();
    for (const input of inputs) {
      const raw = toBytes(input.raw);
      // The message as received: of its whole file when the row holds only its first bytes.
      const rawSha256 = input.whole?.sha256 ?? createHash('sha256').update(raw).digest('hex');
      const messageId = input.messageId ? normaliseMessageId(input.messageId) : undefined;
      const warnings = [...input.warnings];
      const stored = await read(ctx, () => findStoredMessage(ctx.db, messageId, rawSha256));
      if (stored) { prepared.push({ input, raw, rawSha256, messageId, warnings, stored, blobs: [] }); continue; }
      if (!input.complaint) warnings.push('not readable as a complaint: kept as raw text');
      const complaint = input.complaint ?? rawComplaint(raw, warnings);
      const key = messageId ? `id:${messageId}` : `sha:${rawSha256}`;
      const repeat = inBatch.has(key);
      inBatch.add(key);
      const blobs: PreparedIntake['blobs'] = [];
      // A repeat finds the earlier message's row in the transaction and is not stored: its attachments would name nothing.
      for (const [i, a] of (repeat ? [] : complaint.attachments).entries()) {
        blobs.push({ ...(await ctx.vault.put(oneChunk(a.content), undefined, pending)), name: a.filename || `attachment-${i + 1}` });
      }
      const whole = input.whole && !repeat ? await putWholeMessage(ctx, input.whole, pending, warnings) : null;
      if (whole) blobs.push({ ...whole, name: `${intakeSourceName(input.source)} (whole message).eml`, whole: true });
      prepared.push({ input, raw, rawSha256, messageId, warnings, complaint, blobs });
    }
    if (prepared.every((p) => p.stored)) {
      return prepared.map((p) => ({ caseId: p.stored!.case_id, messageRowId: p.stored!.id, action: 'already-imported', evidenceAdded: 0, warnings: p.warnings }));
    }
    const out = await write(ctx, async (tx) => {
      const outcomes: IntakeOutcome[] = [];
      for (const p of prepared) outcomes.push(await intakeIn(ctx, tx, p));
      await commitWindow('intake');
      return outcomes;
    });
    out.forEach((o, i) => { if (o.action !== 'already-imported') for (const b of prepared[i].blobs) named.add(b.sha256); });
    return out;
  } finally {
    await pending.settle(ctx.db, named).catch(() => undefined);
  }
}

async function intakeIn(ctx: StoreContext, tx: Database, p: PreparedIntake): Promise<IntakeOutcome> {
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
    // An answer to one of our sent replies names its Message-ID (sent-replies.ts).
    const sentCase = row ? null : await caseOfSentReply(tx, related);
    if (row || sentCase !== null) {
      caseId = row?.case_id ?? sentCase!;
      action = 'joined-thread';
      const who = complaint.reporter?.address ? ` from ${complaint.reporter.address}` : '';
      await audit(ctx, tx, caseId, 'message_added', `reply in the thread received: ${name}${who}`);
    }
  }
  // A new case's complaint bytes are written last (writeComplaintRaw): its other columns change several times below.
  let rawOf: number | undefined;
  if (caseId === undefined) {
    const r = await createOrFindIn(ctx, tx, { complaintRaw: raw, complaintName: name, complaint }, 'join', true);
    caseId = r.id;
    action = r.existed ? 'joined-duplicate' : 'created';
    if (!r.existed) rawOf = r.id;
  }
  if (input.firstLook) {
    const fl = firstLookColumns(input.firstLook);
    await tx.run(`UPDATE cases SET first_look_json = ?, provisional_verdict = ?, provisional_confidence = ?, headline = coalesce(headline, ?)
      WHERE id = ? AND first_look_json IS NULL`, [fl.json, fl.verdict, fl.confidence, fl.headline, caseId]);
  }
  let evidenceAdded = 0;
  for (const b of p.blobs) {
    const had = await tx.get<{ id: number }>('SELECT id FROM evidence WHERE case_id = ? AND sha256 = ?', [caseId, b.sha256]);
    const id = await insertEvidence(ctx, tx, caseId, b.sha256, b.name, b.size, {});
    // The whole message is kept for custody; its first bytes are the complaint already, and it is no log or capture.
    if (b.whole && !had) await tx.run('UPDATE evidence SET excluded = 1 WHERE id = ?', [id]);
    if (!had) evidenceAdded++;
  }
  if (warnings.length) await audit(ctx, tx, caseId, 'message_warning', `message ${name} kept as received: ${warnings.join('; ')}`);
  const src = input.source;
  const { lastID } = await tx.run(
    `INSERT INTO messages (case_id, message_id, thread_key, in_reply_to, references_json, raw_sha256, raw, source_kind, source_location,
       source_uid, source_name, received_at, imported_at, action, warnings_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [caseId, messageId ?? null, tKey, input.inReplyTo ?? null, JSON.stringify(input.references ?? []), rawSha256, raw, src.kind,
      intakeSourceLocation(src), src.kind === 'mbox' ? src.index : src.kind === 'imap' ? src.uid : null,
      src.kind === 'maildir' || src.kind === 'eml' ? src.filename : null, complaint.dateMs ?? ctx.now(), ctx.now(), action, JSON.stringify(warnings)]);
  await rerankAround(tx, caseId);
  if (rawOf !== undefined) await writeComplaintRaw(tx, rawOf, raw);
  return { caseId, messageRowId: lastID, action, evidenceAdded, warnings };
}

export async function messagesOf(ctx: StoreContext, caseId: number): Promise<StoredMessage[]> {
  const rows = await read(ctx, () => ctx.db.all<MessageRow>(`SELECT ${MESSAGE_COLS} FROM messages WHERE case_id = ? ORDER BY id`, [caseId]));
  return rows.map(toMessage);
}

export async function messageRaw(ctx: StoreContext, messageRowId: number): Promise<Uint8Array> {
  const row = await read(ctx, () => ctx.db.get<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = ?', [messageRowId]));
  if (!row) throw new StoreError('not_found', `There is no message ${messageRowId}.`);
  return new Uint8Array(row.raw);
}

export async function recordFirstLook(ctx: StoreContext, caseId: number, firstLook: FirstLook): Promise<void> {
  const fl = firstLookColumns(firstLook);
  await write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    await tx.run('UPDATE cases SET first_look_json = ?, provisional_verdict = ?, provisional_confidence = ?, headline = CASE WHEN verdict IS NULL THEN ? ELSE coalesce(headline, ?) END WHERE id = ?',
      [fl.json, fl.verdict, fl.confidence, fl.headline, fl.headline, caseId]);
    await rerankAround(tx, caseId);
  });
}

export async function firstLookOf(ctx: StoreContext, caseId: number): Promise<FirstLook | null> {
  const row = await read(ctx, () => ctx.db.get<{ first_look_json: string | null }>('SELECT first_look_json FROM cases WHERE id = ?', [caseId]));
  if (!row) throw new StoreError('not_found', `There is no case ${caseId}.`);
  return row.first_look_json ? JSON.parse(row.first_look_json) as FirstLook : null;
}

export async function getImapCursor(ctx: StoreContext, account: string, folder: string): Promise<StoredImapCursor | null> {
  const r = await read(ctx, () => ctx.db.get<{ account: string; folder: string; uid_validity: string | null; last_uid: number; updated_at: number }>(
    'SELECT * FROM imap_cursors WHERE account = ? AND folder = ?', [account, folder]));
  return r ? { account: r.account, folder: r.folder, uidValidity: r.uid_validity, lastUid: r.last_uid, updatedAt: r.updated_at } : null;
}

export async function saveImapCursor(ctx: StoreContext, account: string, folder: string, cursor: { uidValidity?: string | null; lastUid: number }): Promise<StoredImapCursor> {
  const at = ctx.now();
  await write(ctx, (tx) => tx.run(
    `INSERT INTO imap_cursors (account, folder, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
    [account, folder, cursor.uidValidity ?? null, cursor.lastUid, at]));
  return { account, folder, uidValidity: cursor.uidValidity ?? null, lastUid: cursor.lastUid, updatedAt: at };
}
