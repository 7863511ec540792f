/**
 * Settings as one JSON file in the data directory, validated on read (a
 * hand-edited or corrupt file falls back to defaults) and written atomically.
 * No Electron import: `serve` uses it too.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { channels, DEFAULT_SETTINGS, type Settings } from '../electron/common/contract';

export class SettingsStore {
  private cache: Settings | undefined;
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json');
  }

  get(): Settings {
    if (this.cache) return structuredClone(this.cache);
    let loaded: Settings = structuredClone(DEFAULT_SETTINGS);
    try {
      const parsed = channels['settings:set'].request.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) loaded = { ...loaded, ...parsed.data };
    } catch {
      // missing or unreadable: defaults
    }
    this.cache = loaded;
    return structuredClone(loaded);
  }

  set(patch: Partial<Settings>): Settings {
    const next: Settings = { ...this.get(), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    const dir = join(this.file, '..');
    mkdirSync(dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    this.cache = next;
    return structuredClone(next);
  }
}
