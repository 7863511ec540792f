/**
 * The desktop app end to end, driven by playwright-core's `_electron`. Needs
 * the Electron binary, which `npm install` with ELECTRON_SKIP_BINARY_DOWNLOAD=1
 * leaves out: the whole file is skipped then, and says why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { electronBinary } from '../../build/electron-binary.mjs';
import { repoRoot } from '../helpers/paths';
import { appFolder, builtElectron, synfloodCase } from './helpers';

const binary = electronBinary(repoRoot);
const why = binary ? '' : ' (skipped: no Electron binary under node_modules/electron/dist; install without ELECTRON_SKIP_BINARY_DOWNLOAD to run it)';

describe.skipIf(!binary)(`Electron app${why}`, () => {
  // Types only at compile time; the module is loaded when the binary exists.
  let app: import('playwright-core').ElectronApplication;
  let page: import('playwright-core').Page;
  let folder: ReturnType<typeof appFolder> | undefined;

  beforeAll(async () => {
    // This run's bundles (test/global-setup.ts) in an app folder with the built renderer beside them.
    folder = appFolder(builtElectron(inject('electronDist')));
    if (!existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      execFileSync('npm', ['run', '--silent', 'build:renderer'], { cwd: repoRoot, stdio: 'inherit' });
    }
    symlinkSync(join(repoRoot, 'dist', 'renderer'), folder.renderer, 'dir');
    const { _electron } = await import('playwright-core');
    app = await _electron.launch({ executablePath: binary!, args: [folder.dir], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    folder?.remove();
  });

  it('opens one locked-down window on app://abuse-desk', async () => {
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toMatch(/^app:\/\/abuse-desk\//);
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0];
      // Undocumented but present: the preferences the window was created with.
      return (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
    });
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
  });

  it('exposes exactly the contract as window.abuseDesk', async () => {
    const keys = await page.evaluate(() => Object.keys(window.abuseDesk ?? {}).sort());
    expect(keys).toEqual(['evidenceFromFile', 'host', 'invoke', 'onEngineRestarted', 'onJobError', 'onMenuCommand', 'onProgress', 'onResult'].sort());
    const info = await page.evaluate(() => window.abuseDesk!.invoke('app:info', {}));
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', nativeDialogs: true } });
    const bad = await page.evaluate(() => window.abuseDesk!.invoke('analysis:start', { evidence: 42 } as never));
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('denies new windows and navigation', async () => {
    // http: is refused outright (https: would first ask the operator in a native dialog).
    expect(await page.evaluate(() => window.open('http://example.com/') === null)).toBe(true);
    const before = page.url();
    await page.evaluate(() => { window.location.href = 'https://example.com/'; });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });

  it('analyses a case through IPC and the utility-process engine, the evidence named by the handle of a picked file', async () => {
    const complaint = readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8');
    const pcap = join(synfloodCase, 'www-border.pcap');
    // A path from the page is refused: only files the operator picked or dropped have handles.
    const byPath = await page.evaluate(({ complaint, pcap }) => window.abuseDesk!.invoke('analysis:start', { complaintText: complaint, evidence: [pcap], ourNets: [] }), { complaint, pcap });
    expect(byPath).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'test-evidence';
      document.body.append(input);
    });
    await page.setInputFiles('#test-evidence', pcap);
    const result = await page.evaluate(async ({ complaint }) => {
      const api = window.abuseDesk!;
      const file = (document.getElementById('test-evidence') as HTMLInputElement).files![0];
      const ref = await api.evidenceFromFile(file);
      if (!ref.ok) return ref.error;
      const done = new Promise<unknown>((resolve) => {
        api.onResult((r) => resolve(r.result.verdict));
        api.onJobError((e) => resolve(e.error));
      });
      const started = await api.invoke('analysis:start', { complaintText: complaint, evidence: [ref.value.ref], ourNets: ['198.51.100.0/24'] });
      if (!started.ok) return started.error;
      return done;
    }, { complaint });
    expect(result).toBe('backscatter');
  });
});
