/**
 * The desk settings of this app (DATA/desk-settings.json, 0600, validated on
 * read): the operator name its changes are recorded under (absent: the OS
 * user's), how long an idle claim stands, and the shared store's address (no
 * password: that is in a SecretBox). Read when the store opens, so a new
 * operator name or store applies from the next start.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CLAIM_IDLE_MINUTES, operatorName, storeUrl } from '../electron/common/desk-channels';
import { writePrivate } from './secrets';

const stored = z.strictObject({
  operator: operatorName.nullable(),
  claimIdleMinutes: z.number().int().min(1).max(7 * 24 * 60),
  store: storeUrl.nullable(),
});

export type StoredDeskSettings = z.infer<typeof stored>;

const DEFAULTS: StoredDeskSettings = { operator: null, claimIdleMinutes: DEFAULT_CLAIM_IDLE_MINUTES, store: null };

/** The OS user's name, the operator when none is set (as the store's own default). */
export function osOperator(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown'; // no passwd entry (some containers)
  }
}

export class DeskSettingsStore {
  readonly file: string;
  private cache: StoredDeskSettings | undefined;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'desk-settings.json');
  }

  get(): StoredDeskSettings {
    if (!this.cache) {
      let loaded = { ...DEFAULTS };
      try {
        // Fields saved by another version that do not parse fall back one by one.
        const raw = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
        for (const k of Object.keys(DEFAULTS) as Array<keyof StoredDeskSettings>) {
          const one = stored.shape[k].safeParse(raw[k]);
          if (one.success) loaded = { ...loaded, [k]: one.data };
        }
      } catch {
        // missing or unreadable: defaults
      }
      this.cache = loaded;
    }
    return { ...this.cache };
  }

  set(patch: Partial<StoredDeskSettings>): StoredDeskSettings {
    const valid = stored.parse({ ...this.get(), ...patch });
    writePrivate(this.file, `${JSON.stringify(valid, null, 2)}\n`);
    this.cache = valid;
    return { ...valid };
  }

  /** The operator the store is opened under: the one set, else the OS user's. */
  operator(): string {
    return this.get().operator ?? osOperator();
  }
}
