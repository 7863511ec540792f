/**
 * Claims and the desk settings behind the desk channels (Electron main and
 * `serve`): the case page claims the case it opens for this app's operator,
 * with the idle time from the settings; taking a colleague's claim over is
 * an explicit request. The settings name the operator and the shared store
 * (its password in a SecretBox, as the IMAP one); both apply at the next
 * start, and the view says when what is saved differs from what is open.
 */
import type { DeskView } from '../electron/common/desk-channels';
import { CodedError } from '../electron/common/result';
import type { CaseStore, Claim } from '../store/case-store';
import { osOperator, type DeskSettingsStore } from './desk-settings-store';
import type { SecretBox } from './secrets';
import type { StoreLocation } from './store-location';

export interface DeskServiceDeps {
  settings: DeskSettingsStore;
  store: () => Promise<CaseStore>;
  /** Where the open store is (absent: the data folder's). */
  location?: StoreLocation;
  /** The shared database's password; absent: this host cannot keep one (desk:set refuses it). */
  storePassword?: SecretBox;
}

export interface DeskSettingsRequest {
  operator?: string | null;
  claimIdleMinutes?: number;
  store?: string | null;
  storePassword?: string;
  clearStorePassword?: boolean;
}

export class DeskService {
  /** What the store was opened with: the saved store then, and whether its password changed since. */
  private readonly openedWith: string | null;
  private passwordChanged = false;

  constructor(private readonly deps: DeskServiceDeps) {
    this.openedWith = deps.settings.get().store;
  }

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
    const where = this.deps.location ?? { shown: '', kind: 'sqlite' as const, from: 'data-dir' as const };
    const box = this.deps.storePassword;
    const has = box?.has() ?? false;
    // A --store flag chose this run's store: Settings' store is for the runs without it.
    const storeMoved = where.from !== 'flag' && (saved.store !== this.openedWith || (saved.store !== null && this.passwordChanged));
    return {
      operator: open ?? wanted, defaultOperator: osOperator(), operatorSet: saved.operator !== null, claimIdleMinutes: saved.claimIdleMinutes,
      store: saved.store, hasStorePassword: has, passwordStorage: has && box ? box.kind : 'none',
      openStore: { shown: where.shown, kind: where.kind, from: where.from },
      restartNeeded: (open !== undefined && open !== wanted) || storeMoved,
    };
  }

  async set(req: DeskSettingsRequest): Promise<DeskView> {
    const { storePassword, clearStorePassword, ...rest } = req;
    if ((storePassword !== undefined || clearStorePassword) && !this.deps.storePassword) throw new CodedError('unsupported', 'this host keeps no database password');
    this.deps.settings.set(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (storePassword !== undefined) this.deps.storePassword!.save(storePassword);
    else if (clearStorePassword) this.deps.storePassword!.clear();
    if (storePassword !== undefined || clearStorePassword) this.passwordChanged = true;
    return this.view();
  }
}
