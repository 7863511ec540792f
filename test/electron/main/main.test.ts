/**
 * The bundled main process (dist/electron/main.cjs) loaded under Node with a
 * stand-in `electron` module: checks the wiring the Electron e2e test would,
 * where there is no Electron binary. The stand-in's utilityProcess.fork runs
 * the bundled engine as a Node child, so a whole analysis goes through the
 * real IPC handlers, engine host and engine.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHANNEL_NAMES } from '../../../electron/common/contract';
import type { EventMessage } from '../../../electron/common/events';
import { FILE_HANDLE, FILE_HANDLE_CHANNEL } from '../../../electron/common/file-handles';
import { appFolder, builtElectron, synfloodCase, tempDir, waitFor } from '../helpers';

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

const tmp = tempDir('ad-main-');
// This run's bundles in an app folder of this file, with a renderer page of its own.
const app = appFolder(builtElectron(inject('electronDist')));
const PAGE = '<!doctype html><title>Abuse Desk</title><p>wiring test page</p>\n';
const appListeners = new Map<string, Fn[]>();
const ipcHandlers = new Map<string, Fn>();
type FakeContents = ReturnType<typeof fakeContents>;
const windows: Array<{ options: Record<string, any>; url?: string; sent: EventMessage[]; webContents: FakeContents }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
const protocolHandlers = new Map<string, Fn>();
const privileged: unknown[] = [];
const children: Array<ReturnType<typeof fork>> = [];
let sandboxEnabled = false;
let permissionRequest: Fn | undefined;
let permissionCheck: Fn | undefined;
/** What the stand-in dialog was asked, and the button it answers with. */
const messageBoxes: Array<{ message: string; detail: string }> = [];
let messageBoxAnswer = 0;
const openedExternally: string[] = [];

function fakeContents(id: number) {
  const listeners = new Map<string, Fn>();
  const mainFrame = { url: 'app://abuse-desk/index.html' };
  return {
    id,
    mainFrame,
    listeners,
    openHandler: undefined as Fn | undefined,
    sent: [] as EventMessage[],
    send(channel: string, msg: EventMessage) { if (channel === 'abuse-desk:event') this.sent.push(msg); },
    setWindowOpenHandler(h: Fn) { this.openHandler = h; },
    on(ev: string, l: Fn) { listeners.set(ev, l); },
  };
}

const fakeElectron = {
  app: {
    isPackaged: false,
    enableSandbox: () => { sandboxEnabled = true; },
    requestSingleInstanceLock: () => true,
    on: (ev: string, l: Fn) => { appListeners.set(ev, [...(appListeners.get(ev) ?? []), l]); },
    whenReady: () => Promise.resolve(),
    getPath: () => tmp.dir,
    getVersion: () => '0.1.0',
    quit: () => undefined,
    exit: (code: number) => { throw new Error(`app.exit(${code})`); },
  },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => privileged.push(...s),
    handle: (scheme: string, h: Fn) => protocolHandlers.set(scheme, h),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: Fn) => { permissionRequest = h; },
      setPermissionCheckHandler: (h: Fn) => { permissionCheck = h; },
      webRequest: { onHeadersReceived: () => undefined },
    },
  },
  BrowserWindow: class {
    webContents: ReturnType<typeof fakeContents>;
    constructor(readonly options: Record<string, unknown>) {
      this.webContents = fakeContents(windows.length + 1);
      windows.push({ options, sent: this.webContents.sent, webContents: this.webContents });
      for (const l of appListeners.get('web-contents-created') ?? []) l({}, this.webContents);
    }
    loadURL(url: string) { windows.at(-1)!.url = url; return Promise.resolve(); }
    once() { return this; }
    on() { return this; }
    isDestroyed() { return false; }
  },
  ipcMain: { handle: (ch: string, h: Fn) => ipcHandlers.set(ch, h) },
  Menu: { buildFromTemplate: (t: unknown) => ({ template: t }), setApplicationMenu: () => undefined },
  shell: { openExternal: (url: string) => { openedExternally.push(url); return Promise.resolve(); } },
  dialog: {
    showMessageBox: (...args: unknown[]) => {
      const opts = args.at(-1) as { message: string; detail: string };
      messageBoxes.push({ message: opts.message, detail: opts.detail });
      return Promise.resolve({ response: messageBoxAnswer });
    },
  },
  webUtils: {},
  utilityProcess: {
    fork(entry: string) {
      const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      children.push(child);
      return {
        get pid() { return child.pid; },
        postMessage: (m: unknown) => child.send(m as never),
        on: (ev: string, l: Fn) => { if (ev === 'exit') child.on('exit', (code) => l(code)); else child.on(ev, l); },
        kill: () => child.kill(),
      };
    },
  },
};

const trusted = (contents: FakeContents) => ({ sender: contents, senderFrame: contents.mainFrame });

beforeAll(async () => {
  mkdirSync(app.renderer);
  writeFileSync(join(app.renderer, 'index.html'), PAGE);
  const M = Module as unknown as { _load: Fn };
  const original = M._load;
  M._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? fakeElectron : original.call(this, request, ...rest);
  };
  try {
    createRequire(import.meta.url)(app.main);
  } finally {
    M._load = original;
  }
  // The contract's channels and the preload's private file-handle channel.
  await waitFor(() => windows.length === 1 && ipcHandlers.size === CHANNEL_NAMES.length + 1, 10_000, 'the window and the IPC handlers');
});

afterAll(() => {
  for (const l of appListeners.get('before-quit') ?? []) l();
  for (const c of children) c.kill();
  tmp.remove();
  app.remove();
});

describe('main process wiring (stand-in electron)', () => {
  it('enables the sandbox and registers app:// as a secure standard scheme', () => {
    expect(sandboxEnabled).toBe(true);
    expect(privileged).toMatchObject([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  });

  it('opens one window with the locked-down preferences on app://abuse-desk', () => {
    const [w] = windows;
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(existsSync(w.options.webPreferences.preload)).toBe(true);
    expect(w.options.webPreferences.preload).toBe(join(app.dir, 'electron', 'preload.cjs'));
    expect(w.url).toBe('app://abuse-desk/index.html');
  });

  it('denies new windows and cancels navigation', () => {
    const c = windows[0].webContents;
    expect(c.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(c.openHandler!({ url: 'app://abuse-desk/other' })).toEqual({ action: 'deny' });
    let prevented = 0;
    const e = { preventDefault: () => { prevented++; } };
    c.listeners.get('will-navigate')!(e);
    c.listeners.get('will-redirect')!(e);
    c.listeners.get('will-attach-webview')!(e);
    expect(prevented).toBe(3);
  });

  it('opens https: and mailto: links outside only after the operator confirmed the URL; never http: or file:', async () => {
    const c = windows[0].webContents;
    messageBoxes.length = 0;
    openedExternally.length = 0;
    messageBoxAnswer = 0; // Cancel
    c.openHandler!({ url: 'https://example.com/report' });
    await waitFor(() => messageBoxes.length === 1, 5_000, 'the confirmation');
    expect(messageBoxes[0].detail).toBe('https://example.com/report');
    messageBoxAnswer = 1; // Open
    c.openHandler!({ url: 'mailto:abuse@example.net' });
    await waitFor(() => openedExternally.length === 1, 5_000, 'the mailto: link opening');
    expect(openedExternally).toEqual(['mailto:abuse@example.net']);
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'smb://evil.example/x']) c.openHandler!({ url });
    await new Promise((r) => setTimeout(r, 50));
    expect(messageBoxes).toHaveLength(2);
    expect(openedExternally).toEqual(['mailto:abuse@example.net']);
  });

  it('answers permission checks for clipboard writes from our origin only', () => {
    expect(permissionCheck!({}, 'clipboard-sanitized-write', 'app://abuse-desk', {})).toBe(true);
    expect(permissionCheck!({}, 'clipboard-sanitized-write', 'https://evil.example', {})).toBe(false);
    expect(permissionCheck!({}, 'clipboard-sanitized-write', 'app://abuse-desk', { embeddingOrigin: 'https://evil.example' })).toBe(false);
    expect(permissionCheck!({}, 'media', 'app://abuse-desk', {})).toBe(false);
  });

  it('grants no permissions but clipboard writes from our origin', () => {
    const ask = (permission: string, url: string) => new Promise((resolve) => permissionRequest!({}, permission, resolve, { requestingUrl: url }));
    return Promise.all([
      expect(ask('media', 'app://abuse-desk/index.html')).resolves.toBe(false),
      expect(ask('clipboard-sanitized-write', 'https://evil.example/')).resolves.toBe(false),
      expect(ask('clipboard-sanitized-write', 'app://abuse-desk/index.html')).resolves.toBe(true),
    ]);
  });

  it('handles every channel, checking the sender and the arguments', async () => {
    expect([...ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAMES, FILE_HANDLE_CHANNEL].sort());
    const c = windows[0].webContents;
    const call = (ch: string, event: unknown, arg: unknown) => ipcHandlers.get(ch)!(event, arg);
    expect(await call('settings:get', { sender: c, senderFrame: { url: 'https://evil.example/' } }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('settings:get', { sender: c, senderFrame: { url: 'app://abuse-desk/index.html' } }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } }); // a subframe
    expect(await call('settings:get', { sender: { ...c, id: 99 }, senderFrame: c.mainFrame }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('settings:set', trusted(c), { ourNets: 'all' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('analysis:start', trusted(c), { complaintText: 'x', evidence: ['relative/path.pcap'], ourNets: [] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('app:info', trusted(c), {})).toMatchObject({ ok: true, value: { host: 'electron', nativeDialogs: true } });
  });

  it('serves the renderer on app:// with the CSP and refuses other hosts', async () => {
    const handle = protocolHandlers.get('app')!;
    expect((await handle(new Request('app://evil/index.html'))).status).toBe(403);
    expect((await handle(new Request('app://abuse-desk/../../package.json'))).status).not.toBe(200);
    const page = await handle(new Request('app://abuse-desk/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toBe(PAGE);
    expect((await handle(new Request('app://abuse-desk/missing.js'))).status).toBe(404);
  });

  it('accepts evidence only as handles of dropped files, never as paths', async () => {
    const c = windows[0].webContents;
    const pcap = join(synfloodCase, 'www-border.pcap');
    for (const ch of ['analysis:start', 'cases:import', 'evidence:describe', 'intake:importPaths']) {
      const arg = ch === 'analysis:start' ? { complaintText: 'x', evidence: [pcap], ourNets: [] }
        : ch === 'cases:import' ? { ref: pcap } : ch === 'evidence:describe' ? { path: pcap } : { paths: ['/etc'] };
      expect(await ipcHandlers.get(ch)!(trusted(c), arg), ch).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const register = ipcHandlers.get(FILE_HANDLE_CHANNEL)!;
    expect(await register({ sender: c, senderFrame: { url: 'https://evil.example/' } }, pcap)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const ref = await register(trusted(c), pcap);
    expect(ref).toMatchObject({ ok: true, value: { name: 'www-border.pcap' } });
    expect(ref.value.ref).toMatch(FILE_HANDLE);
    expect(await ipcHandlers.get('evidence:describe')!(trusted(c), { path: ref.value.ref })).toMatchObject({ ok: true, value: { format: 'pcap' } });
  });

  it('runs an analysis in the utility-process engine and sends the result to the window', async () => {
    const c = windows[0].webContents;
    const handle = await ipcHandlers.get(FILE_HANDLE_CHANNEL)!(trusted(c), join(synfloodCase, 'www-border.pcap'));
    const r = await ipcHandlers.get('analysis:start')!(trusted(c), {
      complaintText: readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8'),
      evidence: [handle.value.ref],
      ourNets: ['198.51.100.0/24'],
    });
    expect(r.ok).toBe(true);
    const done = await waitFor(() => c.sent.find((m) => (m.event === 'onResult' || m.event === 'onJobError') && m.args[0].jobId === r.value.jobId), 20_000, 'the result');
    expect(done.event).toBe('onResult');
    expect(done.event === 'onResult' && done.args[0].result.verdict).toBe('backscatter');
  });
});
