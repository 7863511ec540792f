/**
 * `abuse-desk serve`: the renderer and the IPC contract over HTTP on
 * 127.0.0.1, for machines without the Electron binary.
 *
 *   GET  /…                      the built renderer (dist/renderer) with a strict CSP
 *   POST /api/<channel>          JSON request -> JSON Result, validated like IPC
 *   POST /api/upload?name=F      raw file body -> Result<EvidenceRef> (`upload:<id>`)
 *   GET  /api/events             Server-Sent Events: one EventMessage per `data:` line
 *   GET  /api/download/<id>      a case bundle written by `cases:export` (attachment)
 *
 * Every request carries the access token (query `token`, header
 * `x-abuse-desk-token`, or the HttpOnly SameSite=Strict cookie set when the
 * page is first loaded with the token, which then redirects to the URL
 * without it: see token-gate.ts); anything else is 403. The Host header must
 * name the loopback address (no DNS rebinding) and cross-origin writes are
 * refused. Sockets, idle time, header time and event streams have budgets
 * (serve-limits.ts); a malformed request is a 400 and logs one line.
 */
import { ReplyService } from '../reply-service';
import { TemplateService } from '../template-service';
import { CustomerFile } from '../../services/customers/customer-file';
import { ReplySettingsStore } from '../reply-settings-store';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HTTP_API_PREFIX, HTTP_DOWNLOAD_PREFIX, HTTP_EVENTS_PATH, HTTP_UPLOAD_PATH, LIMITS, TOKEN_PARAM,
} from '../../electron/common/contract';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../../electron/common/csp';
import { EngineHost, type EngineSpawner } from '../engine-host';
import type { EventMessage } from '../../electron/common/events';
import { err, toResultError, type Result } from '../../electron/common/result';
import { CaseRecorder, StoreHost, type StoreOpener } from '../case-service';
import { DeskHost } from '../desk-host';
import { createHandlers, dispatch } from '../handlers';
import { IntakeService } from '../intake-service';
import { AesFileSecretBox } from '../secrets';
import { SettingsStore } from '../settings-store';
import { resolveStatic } from '../static-files';
import { EventStreamGate, guardConnections, httpServerOptions, serveLimits, type ServeLimits } from './serve-limits';
import { offeredToken, sameToken, tokenCookie, withoutToken } from './token-gate';
import { UploadStore } from './uploads';

export interface ServeOptions {
  dataDir: string;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  spawnEngine: EngineSpawner;
  /** 0 (default): a free port. */
  port?: number;
  /** Default: 32 random bytes. */
  token?: string;
  maxUploadBytes?: number;
  appVersion?: string;
  log?: (line: string) => void;
  /** Opens the case store in the data folder (default CaseStore.open); tests pass a failing one. */
  openStore?: StoreOpener;
  /** `--store`: the case store for this run (a postgres:// URL or a folder), over the desk settings' choice. */
  store?: string;
  /** Tests: accept the IMAP server's self-signed certificate. */
  imapAllowSelfSigned?: boolean;
  /** Connection, idle-time and event-stream budgets (default DEFAULT_SERVE_LIMITS). */
  limits?: Partial<ServeLimits>;
}

export interface RunningServer {
  url: string;
  /** The URL with the token, to open in a browser. */
  openUrl: string;
  port: number;
  token: string;
  engine: EngineHost;
  uploads: UploadStore;
  intake: IntakeService;
  stores: StoreHost;
  close(): Promise<void>;
}

/** Loopback only: the server is a local tool, never a network service. */
export const BIND_ADDRESS = '127.0.0.1';
const MAX_JSON_BYTES = 4 * LIMITS.complaintChars;
const SSE_HEARTBEAT_MS = 15_000;

/** A request the client got wrong: answered 400 (or `status`), logged in one line, never with a stack. */
function clientError(message: string, status = 400): Error & { status: number } {
  return Object.assign(new Error(message), { status });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_JSON_BYTES) throw clientError('request body too large', 413);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw clientError('the body is not JSON');
  }
}

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>Abuse Desk</title>
<p>The renderer is not built. Run <code>npm run build:renderer</code> (or <code>npm start</code>) and reload.</p>`;

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const log = opts.log ?? (() => undefined);
  const limits = serveLimits(opts.limits);
  const streams = new EventStreamGate(limits.maxEventStreams);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const uploads = new UploadStore(opts.dataDir, opts.maxUploadBytes ?? LIMITS.uploadBytes);
  await uploads.sweep();

  const clients = new Set<ServerResponse>();
  const broadcast = (msg: EventMessage): void => {
    const line = `data: ${JSON.stringify(msg)}\n\n`;
    for (const res of clients) res.write(line);
  };
  // Every analysis is saved as a case on its way from the engine to the page.
  // Where --store or the desk settings say (else the data folder), under the desk's operator; colleagues' changes reach the page.
  const deskHost = new DeskHost({
    dataDir: opts.dataDir, storeFlag: opts.store, storePassword: new AesFileSecretBox(opts.dataDir, 'store-password'), emit: broadcast, log,
    ...(opts.openStore ? { open: () => opts.openStore!(opts.dataDir) } : {}),
  });
  const stores = deskHost.stores;
  const recorder = new CaseRecorder(stores, broadcast, log);
  const engine = new EngineHost({ spawn: opts.spawnEngine, emit: recorder.emit, log });
  recorder.attach(engine);
  engine.start();
  const settings = new SettingsStore(opts.dataDir);
  // Mail into cases; the IMAP password is AES-256-GCM encrypted, its key in DATA/keys/imap.key (0600).
  const intake = new IntakeService({
    stores,
    dataDir: opts.dataDir,
    secrets: new AesFileSecretBox(opts.dataDir),
    ourNets: () => settings.get().ourNets,
    onImported: (source, sm) => broadcast({ event: 'onQueueChanged', args: [{ source, messages: sm.messages, created: sm.counts.created }] }),
    log,
    allowSelfSigned: opts.imapAllowSelfSigned,
  });
  intake.schedule();
  // Replies as mail; the SMTP password is kept like the IMAP one, in its own file.
  const reply = new ReplyService({ settings: new ReplySettingsStore(opts.dataDir), smtpPassword: new AesFileSecretBox(opts.dataDir, 'smtp-password'), store: () => stores.get() });
  // Reply templates from the case store; drafts of saved analyses follow them, with the signature and our customer.
  const customers = new CustomerFile(opts.dataDir);
  const templates = new TemplateService({ store: () => stores.get(), signature: () => reply.settings().signature, customers, log });
  recorder.templates = templates;
  /** Case bundles written for download, by id; deleted when the server stops. */
  const exportsDir = join(opts.dataDir, 'exports');
  const downloads = new Map<string, string>();
  const handlers = createHandlers({
    engine,
    settings,
    info: { host: 'browser', appVersion: opts.appVersion ?? '0.0.0', nativeDialogs: false },
    resolveEvidence: (ref) => uploads.resolve(ref),
    reply,
    customers,
    templates,
    desk: deskHost.desk,
    cases: {
      stores,
      recorder,
      async exportTarget(name) {
        const id = randomBytes(16).toString('hex');
        const dir = join(exportsDir, id);
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const path = join(dir, name);
        downloads.set(id, path);
        return { path, download: `${HTTP_DOWNLOAD_PREFIX}${id}` };
      },
      async backupDir() {
        return join(opts.dataDir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
      },
    },
    // Mailboxes come by upload only: no server paths.
    intake: { service: intake },
  });

  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const csp = (): string => contentSecurityPolicy({ connect: allowedHosts().map((h) => `http://${h}`) });

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': csp(),
      ...SECURITY_HEADERS,
      ...extra,
    });
    res.end(body);
  };
  const sendResult = (res: ServerResponse, status: number, r: Result<unknown>): void =>
    send(res, status, JSON.stringify(r), 'application/json; charset=utf-8');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${BIND_ADDRESS}:${port}`);
    } catch {
      throw clientError('malformed request target');
    }
    // A page on another site that rebinds its name to 127.0.0.1 still sends its own Host.
    if (!allowedHosts().includes((req.headers.host ?? '').toLowerCase())) {
      send(res, 403, 'forbidden: wrong Host', 'text/plain; charset=utf-8');
      return;
    }
    const given = offeredToken(req, url, port);
    if (!sameToken(given.token, token)) {
      send(res, 403, 'forbidden: a valid access token is required (open the URL that `abuse-desk serve` printed)', 'text/plain; charset=utf-8');
      return;
    }
    const origin = req.headers.origin;
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) {
      send(res, 403, 'forbidden: cross-origin request', 'text/plain; charset=utf-8');
      return;
    }
    const path = url.pathname;

    if (path === HTTP_EVENTS_PATH && req.method === 'GET') {
      const release = streams.acquire(token);
      if (!release) {
        send(res, 429, `too many event streams: at most ${limits.maxEventStreams} per token`, 'text/plain; charset=utf-8', { 'Retry-After': '5' });
        return;
      }
      // A stream is quiet between events by design; the heartbeat shows whether the peer is gone.
      req.socket.setTimeout(0);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        ...SECURITY_HEADERS,
      });
      res.write(': abuse-desk events\n\n');
      clients.add(res);
      const beat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
      req.on('close', () => { clearInterval(beat); clients.delete(res); release(); });
      return;
    }

    if (path.startsWith(HTTP_DOWNLOAD_PREFIX) && (req.method === 'GET' || req.method === 'HEAD')) {
      const file = downloads.get(path.slice(HTTP_DOWNLOAD_PREFIX.length));
      const st = file ? await stat(file).catch(() => undefined) : undefined;
      if (!file || !st?.isFile()) { send(res, 404, 'not found', 'text/plain; charset=utf-8'); return; }
      res.writeHead(200, {
        'Content-Type': 'application/x-tar',
        'Content-Length': st.size,
        'Content-Disposition': `attachment; filename="${basename(file).replace(/[^\w.-]/g, '_')}"`,
        'Cache-Control': 'no-store',
        ...SECURITY_HEADERS,
      });
      if (req.method === 'HEAD') { res.end(); return; }
      createReadStream(file).pipe(res);
      return;
    }

    if (path === HTTP_UPLOAD_PATH) {
      if (req.method !== 'POST') { send(res, 405, 'method not allowed', 'text/plain; charset=utf-8', { Allow: 'POST' }); return; }
      const len = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
      try {
        const ref = await uploads.save(req, url.searchParams.get('name') ?? 'evidence', Number.isFinite(len) ? len : undefined);
        log(`upload ${ref.ref} ${ref.name} ${ref.size} bytes`);
        sendResult(res, 200, { ok: true, value: ref });
      } catch (e) {
        const error = toResultError(e);
        // Stop reading a body we refused; the client sees the reply, then the connection closes.
        res.setHeader('Connection', 'close');
        sendResult(res, error.code === 'too_large' ? 413 : 500, { ok: false, error });
        req.resume();
      }
      return;
    }

    if (path.startsWith(HTTP_API_PREFIX)) {
      if (req.method !== 'POST') { send(res, 405, 'method not allowed', 'text/plain; charset=utf-8', { Allow: 'POST' }); return; }
      // JSON only: a cross-site <form> can only send form encodings.
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        sendResult(res, 415, err('bad_request', 'Content-Type must be application/json'));
        return;
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (e) {
        const status = (e as { status?: number }).status ?? 400;
        sendResult(res, status, err(status === 413 ? 'too_large' : 'bad_request', (e as Error).message));
        return;
      }
      let channel: string;
      try {
        channel = decodeURIComponent(path.slice(HTTP_API_PREFIX.length));
      } catch {
        throw clientError('malformed channel name');
      }
      // A call may take minutes with nothing on the wire (an import): the idle budget is for waiting clients, not for us.
      req.socket.setTimeout(0);
      const result = await dispatch(handlers, channel, body);
      req.socket.setTimeout(limits.idleMs);
      sendResult(res, 200, result);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') { send(res, 405, 'method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET' }); return; }
    if (given.fromQuery) {
      // The token goes into the cookie and out of the address bar and history (303: the redirect is a GET).
      res.writeHead(303, { Location: withoutToken(url), 'Set-Cookie': tokenCookie(port, token), 'Cache-Control': 'no-store', 'Content-Length': 0, ...SECURITY_HEADERS });
      res.end();
      return;
    }
    // Single-page app: paths without an extension are the app's own routes.
    let file = resolveStatic(opts.rendererDir, path);
    if (!file && !/\.[a-z0-9]+$/i.test(path)) file = resolveStatic(opts.rendererDir, '/index.html');
    if (!file) {
      if (path === '/' || path === '/index.html') send(res, 200, PLACEHOLDER, 'text/html; charset=utf-8');
      else send(res, 404, 'not found', 'text/plain; charset=utf-8');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.mime,
      'Content-Length': file.size,
      'Cache-Control': 'no-store',
      'Content-Security-Policy': csp(),
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file.path).pipe(res);
  }

  const server: Server = createServer(httpServerOptions(limits), (req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = (e as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        log(`serve: ${status} ${req.method ?? '?'} ${JSON.stringify((req.url ?? '').slice(0, 120))}: ${(e as Error).message}`);
        if (!res.headersSent) sendResult(res, status, err(status === 413 ? 'too_large' : 'bad_request', (e as Error).message));
        else res.destroy();
        return;
      }
      // Our bug, not the client's: the stack stays in the log, the reply says only what failed.
      log(`serve: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) sendResult(res, 500, { ok: false, error: { code: 'internal', message: (e as Error).message } });
      else res.destroy();
    });
  });
  // Bytes that are not HTTP and headers over time get Node's own 400/408 and a closed socket, with nothing logged.
  guardConnections(server, limits, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: BIND_ADDRESS, port: opts.port ?? 0, exclusive: true }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${BIND_ADDRESS}:${port}/`;
  if (!existsSync(opts.rendererDir)) log(`serve: ${opts.rendererDir} does not exist; run npm run build:renderer`);

  return {
    url,
    openUrl: `${url}?${TOKEN_PARAM}=${token}`,
    port,
    token,
    engine,
    uploads,
    stores,
    intake,
    async close(): Promise<void> {
      intake.dispose();
      for (const res of clients) res.end();
      clients.clear();
      engine.dispose();
      await deskHost.close();
      await rm(exportsDir, { recursive: true, force: true });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await uploads.removeSessionUploads();
    },
  };
}
