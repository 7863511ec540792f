/**
 * Claims: an operator opening a case to work on it claims it, so the rest of
 * the desk sees who has it. A claim lapses after its idle time without
 * activity (each claim by the same operator renews it); someone else may
 * take a live claim over only explicitly, and that is audited. A claim is
 * not a change of the case: its audit lines leave updated_at and the version
 * alone, so claiming never makes someone's status change conflict.
 */
import type { Claim } from './claim-types';
import { StoreError } from './errors';
import { audit } from './cases/insert';
import { mustExist, operatorOf, read, write, type StoreContext } from './transaction';

export type { Claim };

/** Default idle time before a claim lapses. */
export const CLAIM_IDLE_MS = 15 * 60_000;

interface ClaimRow { case_id: number; operator: string; claimed_at: number; last_seen_at: number; idle_ms: number }

const toClaim = (r: ClaimRow): Claim => ({ caseId: r.case_id, operator: r.operator, claimedAt: r.claimed_at, lastSeenAt: r.last_seen_at, expiresAt: r.last_seen_at + r.idle_ms });
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Claim the case for the store's operator (or renew their claim). A live
 * claim of someone else refuses with 'conflict' naming them, unless
 * `takeOver`.
 */
export async function claimCase(ctx: StoreContext, caseId: number, opts: { idleMs?: number; takeOver?: boolean } = {}): Promise<Claim> {
  const me = operatorOf(ctx);
  const idle = Math.max(1, Math.trunc(opts.idleMs ?? CLAIM_IDLE_MS));
  return write(ctx, async (tx) => {
    await mustExist(tx, caseId);
    const now = ctx.now();
    const held = await tx.get<ClaimRow>('SELECT * FROM claims WHERE case_id = ?', [caseId]);
    const live = held && held.last_seen_at + held.idle_ms > now ? held : undefined;
    if (live && live.operator === me) {
      await tx.run('UPDATE claims SET last_seen_at = ?, idle_ms = ? WHERE case_id = ?', [now, idle, caseId]);
      return toClaim({ ...live, last_seen_at: now, idle_ms: idle });
    }
    if (live && !opts.takeOver) {
      throw new StoreError('conflict', `Case ${caseId} is being worked on by ${live.operator} (claimed ${iso(live.claimed_at)}, last active ${iso(live.last_seen_at)}; `
        + `the claim lapses at ${iso(live.last_seen_at + live.idle_ms)}). Take it over explicitly to work on it.`);
    }
    await tx.run(`INSERT INTO claims (case_id, operator, claimed_at, last_seen_at, idle_ms) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (case_id) DO UPDATE SET operator = excluded.operator, claimed_at = excluded.claimed_at, last_seen_at = excluded.last_seen_at, idle_ms = excluded.idle_ms`,
    [caseId, me, now, now, idle]);
    if (live) await audit(ctx, tx, caseId, 'claim_taken_over', `claim of ${live.operator} (since ${iso(live.claimed_at)}, last active ${iso(live.last_seen_at)}) taken over`, false);
    else await audit(ctx, tx, caseId, 'claimed', held ? `claimed (the claim of ${held.operator} had lapsed)` : 'claimed', false);
    return { caseId, operator: me, claimedAt: now, lastSeenAt: now, expiresAt: now + idle };
  });
}

/** Give up the store operator's claim on the case (nothing when they hold none). */
export async function releaseClaim(ctx: StoreContext, caseId: number): Promise<void> {
  const me = operatorOf(ctx);
  await write(ctx, async (tx) => {
    const r = await tx.run('DELETE FROM claims WHERE case_id = ? AND operator = ?', [caseId, me]);
    if (r.changes) await audit(ctx, tx, caseId, 'claim_released', 'claim released', false);
  });
}

/** The live claim on the case, or null (none, or lapsed). */
export async function claimOf(ctx: StoreContext, caseId: number): Promise<Claim | null> {
  const r = await read(ctx, () => ctx.db.get<ClaimRow>('SELECT * FROM claims WHERE case_id = ?', [caseId]));
  return r && r.last_seen_at + r.idle_ms > ctx.now() ? toClaim(r) : null;
}

/** The live claims among these cases (a queue page's rows), by case. */
export async function liveClaims(ctx: StoreContext, caseIds: readonly number[]): Promise<Claim[]> {
  const ids = [...new Set(caseIds)].filter(Number.isSafeInteger);
  if (!ids.length) return [];
  const rows = await read(ctx, () => ctx.db.all<ClaimRow>(`SELECT * FROM claims WHERE case_id IN (${ids.map(() => '?').join(',')})`, ids));
  const now = ctx.now();
  return rows.filter((r) => r.last_seen_at + r.idle_ms > now).map(toClaim);
}
