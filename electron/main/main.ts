/**
 * The Electron main process: one locked-down window, the menu, native
 * dialogs, the contract's IPC handlers (sender-checked and schema-validated)
 * and the engine host running the analysis in a utility process.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell, type IpcMainInvokeEvent, type MessageBoxOptions, type WebContents } from 'electron';
import { CHANNEL_NAMES, IPC_EVENT_CHANNEL } from '../common/contract';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../common/csp';
import { EngineHost } from '../../host/engine-host';
import type { EventMessage } from '../common/events';
import { FILE_HANDLE_CHANNEL } from '../common/file-handles';
import { wrapResult } from '../common/result';
import { CaseRecorder } from '../../host/case-service';
import { DeskHost } from '../../host/desk-host';
import { chooseBundlePath, electronDialogs } from './dialogs';
import { openExternalConfirmed } from './external-links';
import { FileHandles } from './file-handles';
import { createHandlers, dispatch } from '../../host/handlers';
import { IntakeService } from '../../host/intake-service';
import { buildMenu } from './menu';
import { permissionDecision } from './permissions';
import { SafeStorageSecretBox } from '../../host/secrets';
import { DesktopSecretBox, offerSessionOnly, type SecretField } from './secret-storage';
import { checkSender, originOf } from './sender-check';
import { SettingsStore } from '../../host/settings-store';
import { utilityEngineSpawner } from './spawn-utility';
import { rendererDir, resolveStatic } from '../../host/static-files';
import { ReplyService } from '../../host/reply-service';
import { TemplateService } from '../../host/template-service';
import { ReplySettingsStore } from '../../host/reply-settings-store';
import { CustomerFile } from '../../services/customers/customer-file';
import { wiresharkLauncher } from '../../host/wireshark';

const SCHEME = 'app';
const APP_HOST = 'abuse-desk';
const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;
/** `npm run dev` may point the window at vite's dev server; never in a packaged app. */
const DEV_URL = !app.isPackaged ? process.env.ABUSE_DESK_RENDERER_URL : undefined;
const here = __dirname; // dist/electron (bundled as CommonJS)

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | undefined;
/** Files the operator chose or dropped; the window holds only their handles. */
const fileHandles = new FileHandles();

/** A native question over the window; resolves with the button pressed. */
async function ask(opts: MessageBoxOptions): Promise<number> {
  const r = mainWindow && !mainWindow.isDestroyed() ? await dialog.showMessageBox(mainWindow, opts) : await dialog.showMessageBox(opts);
  return r.response;
}

function trustedOrigins(): string[] {
  const dev = DEV_URL ? originOf(DEV_URL) : undefined;
  return dev ? [APP_ORIGIN, dev] : [APP_ORIGIN];
}

function sendEvent(msg: EventMessage): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, msg);
}

/** Serve dist/renderer on app://abuse-desk with the CSP as a header. */
function registerAppProtocol(): void {
  const root = rendererDir(here);
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('forbidden', { status: 403 });
    const file = resolveStatic(root, url.pathname);
    if (!file) return new Response('not found', { status: 404 });
    const body = await readFile(file.path);
    return new Response(body, {
      headers: { 'Content-Type': file.mime, 'Content-Security-Policy': contentSecurityPolicy(), ...SECURITY_HEADERS },
    });
  });
}

/** Window lockdown for every webContents (Fiddle; Electron's security checklist). */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // https: and mailto: links open outside, after the operator confirmed the URL; never in a new app window.
    openExternalConfirmed(url, { ask, open: (u) => shell.openExternal(u), log: (l) => console.warn(l) })
      .catch((e: unknown) => console.warn(`external link: ${(e as Error).message}`));
    return { action: 'deny' };
  });
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('will-frame-navigate', (e) => { if (!e.isMainFrame) e.preventDefault(); });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Abuse Desk',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // No middle-click "open in a new window" path past the window-open handler (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => { if (mainWindow === win) mainWindow = undefined; });
  void win.loadURL(DEV_URL ?? `${APP_ORIGIN}/index.html`);
  return win;
}

/** Only the main frame of our window, showing our origin, may call main. */
function senderOk(event: IpcMainInvokeEvent, what: string): ReturnType<typeof checkSender> {
  const sender = checkSender({
    webContentsId: event.sender.id,
    frameUrl: event.senderFrame?.url,
    isMainFrame: !!event.senderFrame && event.senderFrame === event.sender.mainFrame,
  }, { webContentsIds: mainWindow ? [mainWindow.webContents.id] : [], origins: trustedOrigins() });
  if (!sender.ok) console.warn(`ipc ${what}: ${sender.error.message}`);
  return sender;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => lockDown(contents));

  await app.whenReady();

  const ses = session.defaultSession;
  // Only clipboard writes (copy the reply) from our own origin; nothing else (permissions.ts).
  ses.setPermissionRequestHandler((_wc, permission, cb, details) => {
    cb(permissionDecision({ permission, requesting: details.requestingUrl }, trustedOrigins()));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) => (
    permissionDecision({ permission, requesting: requestingOrigin, embedding: details?.embeddingOrigin }, trustedOrigins())));
  // The dev server's responses get the same CSP (the app protocol sets its own).
  ses.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy({ connect: DEV_URL ? [DEV_URL.replace(/^http/, 'ws')] : [] })] } });
  });
  registerAppProtocol();

  const dataDir = app.getPath('userData');
  const log = (line: string): void => console.warn(line);
  // Passwords (IMAP, SMTP, the shared database) are encrypted with the OS keychain (safeStorage), or kept
  // for the session only when there is no safe keychain and the operator chose that (secret-storage.ts).
  const keychain = {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (p: string) => safeStorage.encryptString(p),
    decryptString: (b: Buffer) => safeStorage.decryptString(b),
    getSelectedStorageBackend: () => safeStorage.getSelectedStorageBackend(),
  };
  const storeSecrets = new DesktopSecretBox(new SafeStorageSecretBox(dataDir, keychain, 'store-password'));
  // The case history: opened in the background where the desk settings say (this machine's, or the desk's
  // shared database), loaded lazily; every analysis is saved on its way to the window, colleagues' changes reach it.
  const deskHost = new DeskHost({ dataDir, storePassword: storeSecrets, emit: sendEvent, log });
  const stores = deskHost.stores;
  const recorder = new CaseRecorder(stores, sendEvent, log);
  const engine = new EngineHost({
    spawn: utilityEngineSpawner(join(here, 'engine.cjs')),
    emit: recorder.emit,
    log,
  });
  recorder.attach(engine);
  engine.start();

  const settings = new SettingsStore(dataDir);
  // Mail into cases, the IMAP password kept as above.
  const secrets = new DesktopSecretBox(new SafeStorageSecretBox(dataDir, keychain));
  // Replies as mail: the SMTP password is kept the same way as the IMAP one.
  const smtpSecrets = new DesktopSecretBox(new SafeStorageSecretBox(dataDir, keychain, 'smtp-password'));
  const reply = new ReplyService({ settings: new ReplySettingsStore(dataDir), smtpPassword: smtpSecrets, store: () => stores.get() });
  // Reply templates from the case store; drafts of saved analyses follow them, with the signature and our customer.
  const customers = new CustomerFile(dataDir);
  const templates = new TemplateService({ store: () => stores.get(), signature: () => reply.settings().signature, customers, log });
  recorder.templates = templates;
  /** The calls that store a password, for the session-only offer when there is no safe keychain. */
  const secretFields: SecretField[] = [
    { channel: 'imap:setAccount', field: 'password', label: 'IMAP password', box: secrets },
    { channel: 'reply:setSettings', field: 'smtpPassword', label: 'SMTP password', box: smtpSecrets },
    { channel: 'desk:set', field: 'storePassword', label: 'database password', box: storeSecrets },
  ];
  const intake = new IntakeService({
    stores,
    dataDir,
    secrets,
    ourNets: () => settings.get().ourNets,
    onImported: (source, sm) => sendEvent({ event: 'onQueueChanged', args: [{ source, messages: sm.messages, created: sm.counts.created }] }),
    log,
  });
  intake.schedule();
  const handlers = createHandlers({
    engine,
    settings,
    info: { host: 'electron', appVersion: app.getVersion(), nativeDialogs: true },
    // Only handles of files chosen in a dialog or dropped on the window, never a path (file-handles.ts).
    resolveEvidence: (ref) => fileHandles.resolveFile(ref),
    dialogs: electronDialogs(() => mainWindow, fileHandles),
    reply,
    customers,
    templates,
    desk: deskHost.desk,
    // "Open in Wireshark at this packet" where Wireshark is installed (the browser's serve never starts programs).
    wireshark: wiresharkLauncher({ log }),
    cases: {
      stores,
      recorder,
      async exportTarget(name) {
        const path = await chooseBundlePath(() => mainWindow, name);
        return path ? { path } : null;
      },
      async backupDir() {
        return join(dataDir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
      },
    },
    intake: { service: intake, resolveMailboxPath: (ref) => fileHandles.resolveFileOrFolder(ref) },
  });

  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(name, async (event, raw: unknown) => {
      const sender = senderOk(event, name);
      if (!sender.ok) return sender;
      const refused = await offerSessionOnly(name, raw, secretFields, ask);
      return refused ?? dispatch(handlers, name, raw);
    });
  }
  // The preload's private channel: a dropped or picked File's path becomes a handle.
  ipcMain.handle(FILE_HANDLE_CHANNEL, async (event, path: unknown) => {
    const sender = senderOk(event, FILE_HANDLE_CHANNEL);
    if (!sender.ok) return sender;
    return wrapResult(() => fileHandles.registerDropped(path));
  });

  Menu.setApplicationMenu(buildMenu((command) => sendEvent({ event: 'onMenuCommand', args: [command] }), !app.isPackaged));
  mainWindow = createWindow();

  app.on('activate', () => { if (!mainWindow) mainWindow = createWindow(); });
  app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
  app.on('before-quit', () => {
    intake.dispose();
    engine.dispose();
    void deskHost.close();
  });
}

main().catch((e: unknown) => {
  console.error(e);
  app.exit(1);
});
