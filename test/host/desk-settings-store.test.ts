/**
 * The desk settings file (host/desk-settings-store.ts): defaults when there
 * is none, kept 0600 and never with a password, a hand-edited file's bad
 * field falling back alone, and the operator the store opens under.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeskSettingsStore, osOperator } from '../../host/desk-settings-store';
import { tempDir } from '../electron/helpers';

const tmp = tempDir('ad-desk-settings-');
afterAll(() => tmp.remove());

describe('desk settings file', () => {
  it('starts with the system user, a 15-minute claim and this machine\'s store', () => {
    const s = new DeskSettingsStore(join(tmp.dir, 'a'));
    expect(s.get()).toEqual({ operator: null, claimIdleMinutes: 15, store: null });
    expect(s.operator()).toBe(osOperator());
  });

  it('saves 0600 what is set, and refuses a store address carrying a password', () => {
    const dir = join(tmp.dir, 'b');
    const s = new DeskSettingsStore(dir);
    s.set({ operator: 'dana', store: 'postgres://desk@db.example.net/abuse' });
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(s.file, 'utf8'))).toEqual({ operator: 'dana', claimIdleMinutes: 15, store: 'postgres://desk@db.example.net/abuse' });
    expect(new DeskSettingsStore(dir).operator()).toBe('dana');
    expect(() => s.set({ store: 'postgres://desk:S3cret@db.example.net/abuse' })).toThrow(/without the password/);
    expect(readFileSync(s.file, 'utf8')).not.toContain('S3cret');
  });

  it('reads a hand-edited file field by field: a bad one falls back, the others stand', () => {
    const dir = join(tmp.dir, 'c');
    const s = new DeskSettingsStore(dir);
    s.set({ claimIdleMinutes: 30 });
    writeFileSync(s.file, JSON.stringify({ operator: 'two\nlines', claimIdleMinutes: 30, store: 'http://nope', extra: 1 }));
    expect(new DeskSettingsStore(dir).get()).toEqual({ operator: null, claimIdleMinutes: 30, store: null });
    writeFileSync(s.file, '{ not json');
    expect(new DeskSettingsStore(dir).get()).toEqual({ operator: null, claimIdleMinutes: 15, store: null });
  });
});
