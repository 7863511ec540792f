/**
 * `--store`: the case store a command opens. A postgres:// URL names the
 * desk's shared database (its password in PGPASSWORD or ~/.pgpass, as libpq
 * reads them, rather than in the URL); without it $ABUSE_DESK_STORE, else the
 * data folder's own store. Changes are recorded under the operator named in
 * the data folder's desk settings (Settings → Desk), else the OS user.
 */
import { DeskSettingsStore } from '../host/desk-settings-store';
import { resolveDataDir } from './data-dir';
import { UsageError } from './usage';

export const STORE_OPTION = { store: { type: 'string' } } as const;

export const STORE_HELP = `  --store URL      the desk's shared case store, postgres://USER@HOST[:PORT]/DB (the password
                   in PGPASSWORD or ~/.pgpass); default $ABUSE_DESK_STORE, else --data-dir's own`;

/** The --store flag (or $ABUSE_DESK_STORE) when one is given, checked; undefined: the data folder's store. */
export function storeFlag(values: { store?: string }): string | undefined {
  const flag = values.store ?? (process.env.ABUSE_DESK_STORE || undefined);
  if (flag === undefined) return undefined;
  // No import of store/pg here: a command that never opens the store loads no database driver.
  if (!/^postgres(ql)?:\/\/[^/]/i.test(flag)) {
    throw new UsageError(`--store: "${flag.replace(/:[^:@/]*@/, ':***@')}" is not a postgres:// address (the local store is --data-dir's)`);
  }
  return flag;
}

/** Where the command's store is and who its changes are recorded as. */
export function cliStore(values: { 'data-dir'?: string; store?: string }): { location: string; dataDir: string; operator: string } {
  const dataDir = resolveDataDir(values['data-dir']);
  return { location: storeFlag(values) ?? dataDir, dataDir, operator: new DeskSettingsStore(dataDir).operator() };
}
