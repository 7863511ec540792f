import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplySettingsStore } from '../../host/reply-settings-store';
import { tempDir } from '../store/helpers';

const settings = { fromAddress: 'abuse@example.net', signature: 'NOC\nExample Net', smtp: { host: 'smtp.example.net', port: 587, security: 'starttls' as const, user: 'desk', allowSelfSigned: false } };

describe('the desk\'s reply settings file', () => {
  const t = { dir: '', cleanup: async () => undefined as void };
  beforeEach(async () => { Object.assign(t, await tempDir('ad-reply-settings-')); });
  afterEach(() => t.cleanup());

  it('starts empty with no SMTP relay; what is set is kept 0600 without any password, and read back by a new store', () => {
    const s = new ReplySettingsStore(t.dir);
    expect(s.get()).toEqual({ fromAddress: '', signature: '', smtp: null });
    s.set(settings);
    expect(new ReplySettingsStore(t.dir).get()).toEqual(settings);
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(s.file, 'utf8')).not.toMatch(/password/i);
  });

  it('refuses to store what the schema does not hold, and a hand-edited file it does not hold falls back to the defaults', () => {
    const s = new ReplySettingsStore(t.dir);
    expect(() => s.set({ ...settings, smtp: { ...settings.smtp, port: 0 } })).toThrow();
    expect(() => s.set({ ...settings, password: 'x' } as never)).toThrow();
    writeFileSync(s.file, JSON.stringify({ ...settings, smtp: { ...settings.smtp, security: 'ssl3' } }));
    expect(new ReplySettingsStore(t.dir).get()).toEqual({ fromAddress: '', signature: '', smtp: null });
  });
});
