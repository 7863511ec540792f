/**
 * Case channels beyond the basic history: a complaint seen before (asked
 * before the run, so the operator decides whether it joins that case), the
 * accepted run, and the evidence a case owns. Collected into the contract's
 * `channels` table; each change answers with the fresh case.
 */
import { z } from 'zod';
import type { CaseDetail, CaseStatus, Verdict } from '../../store/types';
import { channel } from './channel';

const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A path (Electron) or an upload token (serve), as for `analysis:start`. */
const evidenceRef = z.string().min(1).max(4096).refine((s) => !s.includes('\0'), { message: 'NUL in path' });

/** `cases:findRepeat`: the latest stored case with the same complaint (normalised text). */
export interface RepeatCandidate {
  id: number;
  status: CaseStatus;
  subject: string | null;
  verdict: Verdict | null;
  confidence: number | null;
}

export const caseChannels = {
  /** The latest case holding this complaint, or null: asked before `analysis:start` so the operator chooses (joinCase). */
  'cases:findRepeat': channel(z.strictObject({
    complaintText: z.string().min(1).max(8 * 1024 * 1024),
  })).returns<RepeatCandidate | null>(),

  /** Make this run the case's headline verdict. */
  'cases:acceptRun': channel(z.strictObject({ id: rowId, runId: rowId })).returns<CaseDetail>(),

  /** Copy files into the vault and attach them to the case (a removed file attached again comes back). */
  'cases:addEvidence': channel(z.strictObject({
    id: rowId,
    refs: z.array(evidenceRef).min(1).max(32),
  })).returns<CaseDetail>(),

  /** Take a file out of the case: kept in the vault and listed as removed (custody), audited. */
  'cases:removeEvidence': channel(z.strictObject({
    id: rowId,
    evidenceId: rowId,
    reason: z.string().trim().max(500).regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'control characters' }).optional(),
  })).returns<CaseDetail>(),

  /** Leave a file out of the next run (true) or read it again (false). */
  'cases:excludeEvidence': channel(z.strictObject({ id: rowId, evidenceId: rowId, excluded: z.boolean() })).returns<CaseDetail>(),
} as const;
