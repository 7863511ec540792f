/**
 * Messages that could not be read even within the intake budgets
 * (analysis/limits.ts): the parser threw, or storing the message failed for
 * something in the message itself. Each is kept as received with its error
 * (migration 0007), once per distinct message (a second failure counts an
 * attempt), so the mailbox cursor can move past it, the next messages go on,
 * and the operator still sees it in the queue as "could not be read".
 */
import { createHash } from 'node:crypto';
import { normaliseMessageId } from '../analysis/triage/normalise';
import { StoreError } from './errors';
import { intakeSourceLocation, intakeSourceName } from './intake-rows';
import type { IntakeSource, QuarantinedMessage } from './intake-types';
import { read, write, type StoreContext } from './transaction';

export interface QuarantineInput {
  raw: Uint8Array;
  source: IntakeSource;
  messageId?: string;
  /** Why it could not be read, for the operator. */
  error: string;
  /** The whole message's length when `raw` is only its first bytes (a message over the intake reader's bound). */
  size?: number;
}

/** Bytes of a quarantined message kept in its row. */
export const KEPT_BYTES = 64 * 1024 * 1024;

interface Row {
  id: number; raw_sha256: string; size: number; message_id: string | null; source_kind: IntakeSource['kind']; source_location: string;
  source_uid: number | null; source_name: string; error: string; quarantined_at: number; attempts: number;
}

const COLS = 'id, raw_sha256, size, message_id, source_kind, source_location, source_uid, source_name, error, quarantined_at, attempts';

function toQuarantined(r: Row): QuarantinedMessage {
  return {
    id: r.id, rawSha256: r.raw_sha256, size: r.size, messageId: r.message_id, sourceKind: r.source_kind, sourceLocation: r.source_location,
    sourceUid: r.source_uid, sourceName: r.source_name, error: r.error, quarantinedAt: r.quarantined_at, attempts: r.attempts,
  };
}

/** Keep a message that could not be read; the same bytes again count one more attempt (with the latest error). */
export async function quarantineMessage(ctx: StoreContext, q: QuarantineInput): Promise<QuarantinedMessage> {
  const whole = Buffer.from(q.raw.buffer, q.raw.byteOffset, q.raw.byteLength);
  const sha = createHash('sha256').update(whole).digest('hex');
  // A row holds at most KEPT_BYTES of it (SQLite refuses a blob over 1 GB, and nobody reads that much by eye); `size` stays the whole.
  const raw = whole.length > KEPT_BYTES ? whole.subarray(0, KEPT_BYTES) : whole;
  const size = Math.max(q.size ?? 0, whole.length);
  const s = q.source;
  const cut = raw.length < size ? ` (only its first ${raw.length} of ${size} bytes are kept)` : '';
  const error = `${q.error.slice(0, 4096) || 'unknown error'}${cut}`;
  return write(ctx, async (tx) => {
    await tx.run(
      `INSERT INTO quarantine (raw_sha256, raw, size, message_id, source_kind, source_location, source_uid, source_name, error, quarantined_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (raw_sha256) DO UPDATE SET attempts = attempts + 1, error = excluded.error, quarantined_at = excluded.quarantined_at`,
      [sha, raw, size, q.messageId ? normaliseMessageId(q.messageId) : null, s.kind, intakeSourceLocation(s),
        s.kind === 'mbox' ? s.index : s.kind === 'imap' ? s.uid : null, intakeSourceName(s), error, ctx.now()]);
    return toQuarantined((await tx.get<Row>(`SELECT ${COLS} FROM quarantine WHERE raw_sha256 = ?`, [sha]))!);
  });
}

/** The quarantined messages, newest first (without their bytes). */
export async function quarantinedMessages(ctx: StoreContext, limit = 100): Promise<QuarantinedMessage[]> {
  const rows = await read(ctx, () => ctx.db.all<Row>(`SELECT ${COLS} FROM quarantine ORDER BY quarantined_at DESC, id DESC LIMIT ?`, [limit]));
  return rows.map(toQuarantined);
}

/** The bytes of a quarantined message, as received. */
export async function quarantinedRaw(ctx: StoreContext, id: number): Promise<Uint8Array> {
  const row = await read(ctx, () => ctx.db.get<{ raw: Buffer }>('SELECT raw FROM quarantine WHERE id = ?', [id]));
  if (!row) throw new StoreError('not_found', `There is no quarantined message ${id}.`);
  return new Uint8Array(row.raw);
}
