import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserCommand, openBrowser } from '../../../host/serve/open-browser';
import { tempDir } from '../../store/helpers';

describe('opening serve\'s address in a browser', () => {
  const t = { dir: '', cleanup: async () => undefined as void };
  const saved = { PATH: process.env.PATH, DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY };
  beforeEach(async () => { Object.assign(t, await tempDir('ad-browser-')); });
  afterEach(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await t.cleanup();
  });

  it('without a display there is nothing to open and nothing is started', () => {
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    expect(browserCommand()).toBeUndefined();
    expect(openBrowser('http://127.0.0.1:1/')).toBe(false);
  });

  it('with a display, the first opener on PATH gets the address as one argument', async () => {
    const bin = join(t.dir, 'bin');
    mkdirSync(bin);
    const record = join(t.dir, 'url.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    process.env.PATH = bin;
    process.env.DISPLAY = ':0';
    expect(browserCommand()).toEqual({ cmd: join(bin, 'xdg-open'), args: [] });
    expect(openBrowser('http://127.0.0.1:8080/?token=a b')).toBe(true);
    await expect.poll(() => { try { return readFileSync(record, 'utf8'); } catch { return ''; } }, { timeout: 5000 }).toBe('http://127.0.0.1:8080/?token=a b');
  });
});
