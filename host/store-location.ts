/**
 * Where an app's case store is: a `--store` flag for this run, else the
 * shared database named in the desk settings (its password from the secret
 * box, as the IMAP and SMTP ones), else the data folder's SQLite file. The
 * password is put into the URL only to open it, never shown or saved there.
 */
import { isPostgresUrl } from '../store/pg/open';

export interface StoreLocation {
  /** What CaseStore.open is given (may carry the password). */
  open: string;
  /** The same, fit to show: the URL without password, or the data folder. */
  shown: string;
  kind: 'sqlite' | 'postgres';
  from: 'flag' | 'settings' | 'data-dir';
}

/** The URL without user info's password (what Settings keeps and shows). */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** A postgres:// URL with `password` set (percent-encoded as a URL needs). */
export function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Decide the location. `flag`: a postgres:// URL (its password in the URL,
 * or PGPASSWORD / ~/.pgpass as libpq reads them) or a folder. `saved`: the
 * desk settings' URL (no password), `password`: the stored one.
 */
export function storeLocation(o: { dataDir: string; flag?: string; saved?: string | null; password?: () => string | null }): StoreLocation {
  if (o.flag) {
    const pg = isPostgresUrl(o.flag);
    return { open: o.flag, shown: pg ? withoutPassword(o.flag) : o.flag, kind: pg ? 'postgres' : 'sqlite', from: 'flag' };
  }
  if (o.saved) {
    const pw = o.password?.() ?? null;
    return { open: pw ? withPassword(o.saved, pw) : o.saved, shown: withoutPassword(o.saved), kind: 'postgres', from: 'settings' };
  }
  return { open: o.dataDir, shown: o.dataDir, kind: 'sqlite', from: 'data-dir' };
}
