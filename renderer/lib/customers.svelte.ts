import { call } from './call';
import type { AbuseDeskApi } from './types';
import type { CustomerEntry, CustomerImportReply, CustomerListInfo } from '../../electron/common/contract';

export type { CustomerEntry };

/**
 * Whose machine an address is, from the operator's imported customer list:
 * looked up in batches (a queue page, a case's accused) and remembered until
 * the list is imported again. A host without the list (or a failed lookup)
 * leaves the addresses unknown; the views then show nothing.
 */
export class CustomerCache {
  /** address → its customer, null when no prefix holds it. Absent: not asked yet. */
  known = $state<Record<string, CustomerEntry | null>>({});
  info = $state<CustomerListInfo | null>(null);
  /** Addresses being asked about (not state: nothing is drawn from it). */
  private pending: Record<string, true> = {};

  constructor(private readonly api: AbuseDeskApi) {}

  /** The customer of an address once looked up (undefined before, null when none). */
  of(address: string): CustomerEntry | null | undefined {
    return this.known[address];
  }

  /** Look up the addresses not known yet (at most 500 a call). */
  async lookup(addresses: readonly string[]): Promise<void> {
    const ask = addresses.filter((a, i) => addresses.indexOf(a) === i && !(a in this.known) && !this.pending[a] && /^[0-9a-fA-F.:]+(?:\/\d+)?$/.test(a));
    for (let i = 0; i < ask.length; i += 500) {
      const batch = ask.slice(i, i + 500);
      for (const a of batch) this.pending[a] = true;
      try {
        const found = await call(this.api, 'customers:lookup', { addresses: batch });
        this.known = { ...this.known, ...found };
      } catch {
        // No list in this host, or a bad address: nothing to show.
      } finally {
        for (const a of batch) delete this.pending[a];
      }
    }
  }

  async loadInfo(): Promise<CustomerListInfo | null> {
    try {
      this.info = await call(this.api, 'customers:info', {});
    } catch {
      this.info = null;
    }
    return this.info;
  }

  /** Replace the list with a CSV or JSON file's text; what is known is asked again. */
  async import(text: string, name: string): Promise<CustomerImportReply> {
    const r = await call(this.api, 'customers:import', { text, name });
    this.known = {};
    this.info = { count: r.count, source: r.source, importedAt: r.importedAt };
    return r;
  }
}
