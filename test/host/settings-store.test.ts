import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../electron/common/contract';
import { SettingsStore } from '../../host/settings-store';
import { tempDir } from '../store/helpers';

describe('settings in the data folder', () => {
  const t = { dir: '', cleanup: async () => undefined as void };
  beforeEach(async () => { Object.assign(t, await tempDir('ad-settings-')); });
  afterEach(() => t.cleanup());

  it('starts from the defaults, keeps what is set (only the owner may read it), and a new store reads it back', () => {
    const s = new SettingsStore(join(t.dir, 'data'));
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    s.set({ ourNets: ['198.51.100.0/24'] });
    s.set({ theme: 'dark', ourNets: undefined });
    expect(new SettingsStore(join(t.dir, 'data')).get()).toEqual({ ...DEFAULT_SETTINGS, ourNets: ['198.51.100.0/24'], theme: 'dark' });
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(s.file, 'utf8')).theme).toBe('dark');
  });

  it('a hand-edited file the contract refuses, or one cut short, falls back to the defaults', () => {
    const s = new SettingsStore(t.dir);
    writeFileSync(s.file, JSON.stringify({ ourNets: ['not a network'] }));
    expect(new SettingsStore(t.dir).get()).toEqual(DEFAULT_SETTINGS);
    writeFileSync(s.file, '{"theme": "da');
    expect(new SettingsStore(t.dir).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('hands out copies: changing what get() returned changes nothing stored', () => {
    const s = new SettingsStore(t.dir);
    s.get().ourNets.push('10.0.0.0/8');
    expect(s.get().ourNets).toEqual([]);
  });
});
