/**
 * Claims and the desk settings behind the desk channels (Electron main and
 * `serve`): the case page claims the case it opens for this app's operator,
 * with the idle time from the settings; taking a colleague's claim over is
 * an explicit request.
 */
import type { DeskView } from '../electron/common/desk-channels';
import type { CaseStore, Claim } from '../store/case-store';
import { osOperator, type DeskSettingsStore } from './desk-settings-store';

export interface DeskServiceDeps {
  settings: DeskSettingsStore;
  store: () => Promise<CaseStore>;
}

export class DeskService {
  constructor(private readonly deps: DeskServiceDeps) {}

  private get idleMs(): number {
    return this.deps.settings.get().claimIdleMinutes * 60_000;
  }

  async claim(id: number, takeOver = false): Promise<Claim> {
    return (await this.deps.store()).claim(id, { idleMs: this.idleMs, takeOver });
  }

  async release(id: number): Promise<Claim | null> {
    const s = await this.deps.store();
    await s.releaseClaim(id);
    return s.claimOf(id);
  }

  async claimOf(id: number): Promise<Claim | null> {
    return (await this.deps.store()).claimOf(id);
  }

  async view(): Promise<DeskView> {
    const saved = this.deps.settings.get();
    // The open store records under the operator it was opened with; without a store, the saved one.
    const open = await this.deps.store().then((s) => s.operator, () => undefined);
    const wanted = this.deps.settings.operator();
    return {
      operator: open ?? wanted, defaultOperator: osOperator(), operatorSet: saved.operator !== null,
      claimIdleMinutes: saved.claimIdleMinutes, restartNeeded: open !== undefined && open !== wanted,
    };
  }

  async set(req: { operator?: string | null; claimIdleMinutes?: number }): Promise<DeskView> {
    this.deps.settings.set({
      ...(req.operator !== undefined ? { operator: req.operator } : {}),
      ...(req.claimIdleMinutes !== undefined ? { claimIdleMinutes: req.claimIdleMinutes } : {}),
    });
    return this.view();
  }
}
