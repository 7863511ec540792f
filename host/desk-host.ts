/**
 * The case store of an app (Electron main and `serve`) as a desk sees it:
 * opened where storeLocation says (a flag, the desk settings, the data
 * folder) under the desk settings' operator, and every change committed to a
 * shared store (a colleague's import, claim, reply, close, heard through
 * CaseStore.watchChanges) forwarded to the window as `onStoreChanged`, so its
 * queue, history and open case refresh within a second.
 */
import type { EventMessage } from '../electron/common/events';
import type { CaseStore, CaseStoreOptions } from '../store/case-store';
import { StoreHost } from './case-service';
import { DeskService } from './desk-service';
import { DeskSettingsStore } from './desk-settings-store';
import type { SecretBox } from './secrets';
import { storeLocation, type StoreLocation } from './store-location';

export interface DeskHostOptions {
  dataDir: string;
  /** `--store` for this run: overrides the desk settings. */
  storeFlag?: string;
  /** The shared database's password (kept like the IMAP one). */
  storePassword: SecretBox;
  emit: (msg: EventMessage) => void;
  log?: (line: string) => void;
  /** Opens a location (default CaseStore.open); Electron loads the store lazily, tests fail it. */
  open?: (location: string, opts: CaseStoreOptions) => Promise<CaseStore>;
}

export class DeskHost {
  readonly settings: DeskSettingsStore;
  readonly location: StoreLocation;
  readonly stores: StoreHost;
  readonly desk: DeskService;
  private readonly watching: Promise<(() => Promise<void>) | undefined>;

  constructor(o: DeskHostOptions) {
    const log = o.log ?? (() => undefined);
    this.settings = new DeskSettingsStore(o.dataDir);
    this.location = storeLocation({ dataDir: o.dataDir, flag: o.storeFlag, saved: this.settings.get().store, password: () => o.storePassword.load() });
    const operator = this.settings.operator();
    // Loaded when first needed: Electron's window must open even when sqlite3's native binding is missing.
    const open = o.open ?? (async (loc: string, opts: CaseStoreOptions) => (await import('../store/case-store')).CaseStore.open(loc, opts));
    this.stores = new StoreHost(o.dataDir, () => open(this.location.open, { operator }), log);
    this.desk = new DeskService({ settings: this.settings, store: () => this.stores.get(), location: this.location, storePassword: o.storePassword });
    this.watching = this.stores.ready.then(async () => {
      const store = await this.stores.get().catch(() => undefined);
      return store?.watchChanges((change) => o.emit({ event: 'onStoreChanged', args: [change] }));
    }).catch((e: unknown) => {
      log(`case store: changes of the desk will not be heard: ${(e as Error).message}`);
      return undefined;
    });
  }

  /** Stop hearing changes and close the store. */
  async close(): Promise<void> {
    await (await this.watching)?.().catch(() => undefined);
    await this.stores.close();
  }
}
