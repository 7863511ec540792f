/**
 * What several operators sharing one store need beyond a single case's
 * operations (CaseStore.desk): who is working on which queue row, and the
 * one-reply-per-case reservation around a send.
 */
import { liveClaims, type Claim } from './claims';
import { abandonReply, beginReply, type ReplyReservation } from './reply-guard';
import type { StoreContext } from './transaction';

export interface Desk {
  /** The live claims among these cases. */
  claimsOf(caseIds: readonly number[]): Promise<Claim[]>;
  /** Reserve the case's reply before sending draft `draftId`: 'conflict' when someone else replied or is sending (reply-guard.ts). */
  beginReply(caseId: number, draftId: number): Promise<ReplyReservation>;
  /** The send failed: free the case again. */
  abandonReply(reservation: ReplyReservation): Promise<void>;
}

export function deskOf(ctx: StoreContext): Desk {
  return {
    claimsOf: (caseIds) => liveClaims(ctx, caseIds),
    beginReply: (caseId, draftId) => beginReply(ctx, caseId, draftId),
    abandonReply: (r) => abandonReply(ctx, r),
  };
}
