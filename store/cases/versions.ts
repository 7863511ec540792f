/**
 * Optimistic concurrency on a case: its version counts up with every audited
 * change (cases/insert.ts audit), and a change made on the view of an older
 * version is refused with what happened since, instead of overwriting it.
 * Checked inside the write transaction, which holds the write lock on both
 * backends, so no change can slip in between the check and the write.
 */
import type { Database } from '../database';
import { StoreError } from '../errors';

export async function assertVersion(tx: Database, caseId: number, expected: number, attempted: string): Promise<void> {
  const row = await tx.get<{ version: number; status: string }>('SELECT version, status FROM cases WHERE id = ?', [caseId]);
  if (!row || row.version === expected) return;
  const last = await tx.get<{ at: number; action: string; detail: string; operator: string | null }>(
    'SELECT at, action, detail, operator FROM audit WHERE case_id = ? ORDER BY id DESC LIMIT 1', [caseId]);
  const since = last ? ` Last change: ${last.detail} by ${last.operator ?? 'an operator not recorded'} at ${new Date(last.at).toISOString()}.` : '';
  throw new StoreError('conflict',
    `Case ${caseId} was changed since you opened it (you saw version ${expected}, it is now at version ${row.version}, status ${row.status}).${since} `
    + `Your change (${attempted}) was not saved: look at the case again and decide.`);
}
