import { resolve } from 'node:path';
import { defaultDataDir as platformDataDir } from './commands/serve';

/**
 * The data folder (case store, settings, uploads) shared by every command:
 * --data-dir, else $ABUSE_DESK_DATA_DIR, else the platform default that
 * `serve` uses ($XDG_DATA_HOME/abuse-desk or ~/.local/share/abuse-desk on Linux).
 */
export function resolveDataDir(flag?: string): string {
  return resolve(flag || process.env.ABUSE_DESK_DATA_DIR || platformDataDir());
}
