import { call } from './call';
import { formatDateMs } from './format';
import type { AbuseDeskApi } from './types';
import type { Claim, DeskView } from '../../electron/common/contract';

export type { Claim, DeskView };

/**
 * Who this window works as (the desk settings' operator), loaded once per
 * window: the claim badges say "you" for this operator's claims.
 */
class DeskState {
  view = $state<DeskView | null>(null);
  private loading: Promise<void> | null = null;

  get operator(): string | null {
    return this.view?.operator ?? null;
  }

  /** Load the desk settings once (again after `reload`); a failure leaves `view` null. */
  load(api: AbuseDeskApi, reload = false): Promise<void> {
    if (!this.loading || reload) {
      this.loading = call(api, 'desk:get', {}).then((v) => { this.view = v; }, () => { this.loading = null; });
    }
    return this.loading;
  }
}

export const desk = new DeskState();

/** "10:32 UTC" when the time is today (UTC), else "2026-03-02 10:32 UTC". */
export function untilText(ms: number, now = Date.now()): string {
  const full = formatDateMs(ms);
  return full.slice(0, 10) === formatDateMs(now).slice(0, 10) ? full.slice(11) : full;
}

/** The badge's words: "Claimed by bob until 10:32 UTC", or "You · until …" for this operator's claim. */
export function claimText(claim: Claim, me: string | null, now = Date.now()): string {
  return claim.operator === me ? `You · until ${untilText(claim.expiresAt, now)}` : `Claimed by ${claim.operator} until ${untilText(claim.expiresAt, now)}`;
}
