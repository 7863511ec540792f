import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The platform's place for application data: XDG on Linux, Application Support, APPDATA. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'abuse-desk');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'abuse-desk');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'abuse-desk');
}

/**
 * The data folder (case store, settings, uploads) shared by every command:
 * --data-dir, else $ABUSE_DESK_DATA_DIR, else the platform default
 * ($XDG_DATA_HOME/abuse-desk or ~/.local/share/abuse-desk on Linux).
 */
export function resolveDataDir(flag?: string): string {
  return resolve(flag || process.env.ABUSE_DESK_DATA_DIR || defaultDataDir());
}
