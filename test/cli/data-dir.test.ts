import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../../cli/data-dir';

describe('the data folder', () => {
  const saved = { a: process.env.ABUSE_DESK_DATA_DIR, x: process.env.XDG_DATA_HOME };
  afterEach(() => {
    if (saved.a === undefined) delete process.env.ABUSE_DESK_DATA_DIR; else process.env.ABUSE_DESK_DATA_DIR = saved.a;
    if (saved.x === undefined) delete process.env.XDG_DATA_HOME; else process.env.XDG_DATA_HOME = saved.x;
  });

  it('--data-dir wins, then $ABUSE_DESK_DATA_DIR, then $XDG_DATA_HOME/abuse-desk, then ~/.local/share/abuse-desk; always absolute', () => {
    process.env.ABUSE_DESK_DATA_DIR = '/srv/desk';
    process.env.XDG_DATA_HOME = '/xdg';
    expect(resolveDataDir('rel/dir')).toBe(resolve('rel/dir'));
    expect(resolveDataDir()).toBe('/srv/desk');
    delete process.env.ABUSE_DESK_DATA_DIR;
    expect(resolveDataDir()).toBe('/xdg/abuse-desk');
    process.env.XDG_DATA_HOME = '';
    expect(defaultDataDir()).toBe(join(homedir(), '.local', 'share', 'abuse-desk'));
  });
});
