/**
 * The desk's reply settings (From address, signature, SMTP relay) as one JSON
 * file in the data folder, validated on read and written 0600 atomically.
 * The SMTP password is not here: it is in its own SecretBox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_REPLY_SETTINGS, SMTP_SECURITY } from '../electron/common/reply-channels';
import { writePrivate } from './secrets';

const stored = z.strictObject({
  fromAddress: z.string().max(320),
  signature: z.string().max(2000),
  smtp: z.strictObject({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    security: z.enum(SMTP_SECURITY),
    user: z.string().max(320),
    allowSelfSigned: z.boolean(),
  }).nullable(),
});

export type StoredReplySettings = z.infer<typeof stored>;

export class ReplySettingsStore {
  readonly file: string;
  private cache: StoredReplySettings | undefined;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'reply-settings.json');
  }

  get(): StoredReplySettings {
    if (!this.cache) {
      let loaded: StoredReplySettings = { fromAddress: DEFAULT_REPLY_SETTINGS.fromAddress, signature: DEFAULT_REPLY_SETTINGS.signature, smtp: null };
      try {
        const parsed = stored.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
        if (parsed.success) loaded = parsed.data;
      } catch {
        // missing or unreadable: defaults
      }
      this.cache = loaded;
    }
    return structuredClone(this.cache);
  }

  set(next: StoredReplySettings): StoredReplySettings {
    const valid = stored.parse(next);
    writePrivate(this.file, `${JSON.stringify(valid, null, 2)}\n`);
    this.cache = valid;
    return structuredClone(valid);
  }
}
