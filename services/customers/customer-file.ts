/**
 * The imported customer list, kept as one normalised JSON file in the data
 * folder (0600), shared by the CLI, Electron main and `serve`. Importing
 * replaces the whole list: the operator's file is the source of truth. The
 * table is rebuilt only when the file changed.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CustomerTable, type CustomerEntry } from '../../analysis/customers/customer-table';
import { readCustomers } from '../../analysis/customers/read-customers';
import { printableLine } from '../../analysis/util/printable';
import { ensurePrivateDir } from '../../store/private-files';

export const CUSTOMERS_FILE = 'customers.json';

export interface CustomerListInfo {
  count: number;
  /** The file it came from, and when (ms); null before any import. */
  source: string | null;
  importedAt: number | null;
}

export interface CustomerImport extends CustomerListInfo {
  /** False when no row was readable: the previous list stays. */
  imported: boolean;
  skipped: number;
  problems: string[];
}

interface Stored {
  source: string;
  importedAt: number;
  entries: CustomerEntry[];
}

export class CustomerFile {
  readonly file: string;
  private cached: { mtimeMs: number; table: CustomerTable; info: CustomerListInfo } | null = null;

  constructor(readonly dataDir: string) {
    this.file = join(dataDir, CUSTOMERS_FILE);
  }

  /** Read the operator's list (CSV or JSON text) and make it the list. Nothing is replaced when no row was readable. */
  async import(text: string, source: string, now = Date.now()): Promise<CustomerImport> {
    const name = printableLine(source).slice(0, 200);
    const r = readCustomers(text, name);
    if (r.read === 0) return { ...(await this.info()), imported: false, skipped: r.skipped, problems: r.problems.length ? r.problems : [`${name}: no customer rows`] };
    const stored: Stored = { source: name, importedAt: now, entries: r.table.entries() };
    await ensurePrivateDir(this.dataDir);
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(stored), { mode: 0o600 });
    await rename(tmp, this.file);
    this.cached = null;
    return { imported: true, count: r.table.size, source: name, importedAt: now, skipped: r.skipped, problems: r.problems };
  }

  private async load(): Promise<{ table: CustomerTable; info: CustomerListInfo }> {
    const st = await stat(this.file).catch(() => null);
    if (!st) return { table: new CustomerTable(), info: { count: 0, source: null, importedAt: null } };
    if (this.cached && this.cached.mtimeMs === st.mtimeMs) return this.cached;
    const table = new CustomerTable();
    let info: CustomerListInfo = { count: 0, source: null, importedAt: null };
    try {
      const stored = JSON.parse(await readFile(this.file, 'utf8')) as Stored;
      for (const e of Array.isArray(stored.entries) ? stored.entries : []) if (e && typeof e.prefix === 'string' && typeof e.customer === 'string') table.add(e);
      info = { count: table.size, source: typeof stored.source === 'string' ? stored.source : null, importedAt: Number.isFinite(stored.importedAt) ? stored.importedAt : null };
    } catch {
      // A damaged file is an empty list; the next import replaces it.
    }
    this.cached = { mtimeMs: st.mtimeMs, table, info };
    return this.cached;
  }

  async info(): Promise<CustomerListInfo> {
    return (await this.load()).info;
  }

  /** Each address with its customer (null when no prefix holds it). */
  async lookup(addresses: readonly string[]): Promise<Record<string, CustomerEntry | null>> {
    const { table } = await this.load();
    return Object.fromEntries(addresses.map((a) => [a, table.lookup(a)]));
  }
}
