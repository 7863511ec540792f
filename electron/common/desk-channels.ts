/**
 * Several operators on one case history: claims (the case page claims the
 * case it opens; the queue shows who works on which row) and the desk
 * settings (who this app records changes as, how long an idle claim
 * stands). Collected into the contract's `channels` table.
 */
import { z } from 'zod';
import type { Claim } from '../../store/claims';
import { channel } from './channel';

export type { Claim };

/** The desk settings as Settings shows them. */
export interface DeskView {
  /** Who this app's changes are recorded under (audit trail, claims, replies). */
  operator: string;
  /** The OS user's name: the operator when none is set. */
  defaultOperator: string;
  /** An operator name is set in Settings (else the OS user's). */
  operatorSet: boolean;
  /** A claim with no activity on the case for this long lapses. */
  claimIdleMinutes: number;
  /** The operator name saved differs from the one the open store records under: it applies when the app starts again. */
  restartNeeded: boolean;
}

export const DEFAULT_CLAIM_IDLE_MINUTES = 15;

const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A name shown to colleagues: one line, no control characters. */
export const operatorName = z.string().trim().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'one line without control characters' });

export const deskChannels = {
  /** Claim the case (or renew this operator's claim); a colleague's live claim refuses ('conflict') unless `takeOver`. */
  'claims:claim': channel(z.strictObject({ id: rowId, takeOver: z.boolean().optional() })).returns<Claim>(),

  /** Give up this operator's claim; answers the claim that stands after (null, or a colleague's). */
  'claims:release': channel(z.strictObject({ id: rowId })).returns<Claim | null>(),

  /** Who works on the case now (null: nobody, or the claim lapsed). */
  'claims:get': channel(z.strictObject({ id: rowId })).returns<Claim | null>(),

  'desk:get': channel(z.strictObject({})).returns<DeskView>(),

  /** `operator` null: the OS user's name again. */
  'desk:set': channel(z.strictObject({
    operator: operatorName.nullable().optional(),
    claimIdleMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  })).returns<DeskView>(),
} as const;
