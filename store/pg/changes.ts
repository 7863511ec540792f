/**
 * Changes made by other apps of the desk, as they commit: the audit trigger
 * (pg/migrations/0005-notify.ts) announces each audit line, and this turns
 * them into StoreChange events for the app's queue and open case to refresh.
 * On SQLite there is one app per store and nothing to hear.
 */
import type { StoreContext } from '../transaction';
import { PgDatabase } from './pg-database';

export const CHANGES_CHANNEL = 'abuse_desk_changes';

export interface StoreChange {
  caseId: number;
  /** The audit action: 'created', 'claimed', 'reply_sent', 'status_changed', … */
  action: string;
  operator: string | null;
  at: number;
}

/** Call `listener` for every change committed to the store (this app's own included); returns the function that stops it. */
export async function watchChanges(ctx: StoreContext, listener: (c: StoreChange) => void): Promise<() => Promise<void>> {
  if (!(ctx.db instanceof PgDatabase)) return async () => undefined;
  return ctx.db.listen(CHANGES_CHANNEL, (payload) => {
    let c: StoreChange;
    try {
      c = JSON.parse(payload) as StoreChange;
    } catch {
      return; // not ours
    }
    listener(c);
  });
}
