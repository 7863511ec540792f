/**
 * Which evidence a case holds and which files its next run reads. Nothing is
 * ever deleted: a removed file keeps its row (name, SHA-256, when attached)
 * and its vault copy, so the chain of custody still accounts for it; the
 * audit trail says who changed what when. Re-analysis reads only the files
 * in the case and not excluded (see `inRun`).
 */
import type { Database } from '../database';
import { StoreError } from '../errors';
import { write, type StoreContext } from '../transaction';
import type { EvidenceRecord } from '../types';
import { audit } from './insert';
import { toEvidence, type EvidenceRow } from './rows';

/** Whether a run reads this file: still in the case and not excluded. */
export function inRun(e: Pick<EvidenceRecord, 'removedAt' | 'excluded'>): boolean {
  return e.removedAt === null && !e.excluded;
}

async function rowOf(tx: Database, caseId: number, evidenceId: number): Promise<EvidenceRow> {
  const r = await tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ? AND case_id = ?', [evidenceId, caseId]);
  if (!r) throw new StoreError('not_found', `Case ${caseId} has no evidence ${evidenceId}.`);
  return r;
}

/** Take a file out of the case (kept in the vault and listed as removed); the reason goes into the audit trail. */
export async function removeEvidence(ctx: StoreContext, caseId: number, evidenceId: number, reason?: string): Promise<EvidenceRecord> {
  return write(ctx, async (tx) => {
    const r = await rowOf(tx, caseId, evidenceId);
    if (r.removed_at === null) {
      const at = ctx.now();
      await tx.run('UPDATE evidence SET removed_at = ? WHERE id = ?', [at, evidenceId]);
      await audit(ctx, tx, caseId, 'evidence_removed',
        `evidence ${r.original_name} removed from the case${reason ? ` (${reason})` : ''}; kept in the vault, SHA-256 ${r.sha256}`);
      r.removed_at = at;
    }
    return toEvidence(r, 'unchecked');
  });
}

/** Leave a file out of the next run (`excluded`), or read it again; a removed file cannot be included. */
export async function setEvidenceExcluded(ctx: StoreContext, caseId: number, evidenceId: number, excluded: boolean): Promise<EvidenceRecord> {
  return write(ctx, async (tx) => {
    const r = await rowOf(tx, caseId, evidenceId);
    if (r.removed_at !== null && !excluded) {
      throw new StoreError('invalid', `${r.original_name} was removed from case ${caseId}: attach it again to use it.`);
    }
    if (Boolean(r.excluded) !== excluded) {
      await tx.run('UPDATE evidence SET excluded = ? WHERE id = ?', [excluded ? 1 : 0, evidenceId]);
      await audit(ctx, tx, caseId, excluded ? 'evidence_excluded' : 'evidence_included',
        `evidence ${r.original_name} ${excluded ? 'left out of' : 'read again by'} the next run`);
      r.excluded = excluded ? 1 : 0;
    }
    return toEvidence(r, 'unchecked');
  });
}
