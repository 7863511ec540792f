/**
 * `abuse-desk serve`: the token guard, loopback-only binding, the contract
 * over HTTP, uploads, and a whole case analysed through upload +
 * analysis:start with the result arriving on the event stream.
 */
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../../electron/common/events';
import { nodeEngineSpawner } from '../../../electron/engine/spawn-node';
import { startServer, type RunningServer } from '../../../host/serve/server';
import { synfloodCase, tempDir } from '../../electron/helpers';

const tmp = tempDir('ad-serve-');
const rendererDir = join(tmp.dir, 'renderer');
let server: RunningServer;

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Abuse Desk</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({
    dataDir: join(tmp.dir, 'data'),
    rendererDir,
    spawnEngine: nodeEngineSpawner(),
    maxUploadBytes: 1_000_000,
  });
});

afterAll(async () => {
  await server?.close();
  tmp.remove();
});

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A raw HTTP request (fetch would hide Host and cookies). */
function req(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer | NodeJS.ReadableStream; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const r = httpRequest({
      host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET',
      headers: { ...(opts.host ? { Host: opts.host } : {}), ...opts.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    if (opts.body && typeof opts.body === 'object' && 'pipe' in opts.body) (opts.body as NodeJS.ReadableStream).pipe(r);
    else r.end(opts.body);
  });
}

const auth = (): Record<string, string> => ({ 'x-abuse-desk-token': server.token });
const api = async (channel: string, body: unknown, headers: Record<string, string> = auth()) => {
  const r = await req(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = r.headers['content-type']?.toString().startsWith('application/json') ? JSON.parse(r.body) : undefined;
  return { status: r.status, json: json as { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } } };
};

describe('serve: access', () => {
  it('binds 127.0.0.1 only and prints a URL with a token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.openUrl).toBe(`${server.url}?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  const reachable = (host: string): Promise<boolean> => new Promise<boolean>((resolve) => {
    const s = connect({ host, port: server.port });
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });

  // Linux routes all of 127/8 to lo: a socket bound to 0.0.0.0 or lo's whole range answers on 127.0.0.2.
  it('is not reachable on another loopback address (127.0.0.2)', async () => {
    expect(await reachable('127.0.0.1')).toBe(true);
    expect(await reachable('127.0.0.2')).toBe(false);
  });

  const other = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
  const noOther = other ? '' : ' (skipped: this machine has no non-loopback IPv4 interface)';
  it.skipIf(!other)(`is not reachable on the machine's other interfaces${noOther}`, async () => {
    expect(await reachable(other!.address)).toBe(false);
  });

  it.each([
    ['the page', 'GET', '/'],
    ['an asset', 'GET', '/assets/app.js'],
    ['the API', 'POST', '/api/settings:get'],
    ['the events', 'GET', '/api/events'],
    ['an upload', 'POST', '/api/upload?name=x.pcap'],
  ])('refuses %s without the token (403)', async (_what, method, path) => {
    expect((await req(path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined })).status).toBe(403);
    expect((await req(`${path}${path.includes('?') ? '&' : '?'}token=wrong`, { method })).status).toBe(403);
    expect((await req(path, { method, headers: { 'x-abuse-desk-token': `${server.token}x` } })).status).toBe(403);
    expect((await req(path, { method, headers: { cookie: `abuse_desk_${server.port}=nope` } })).status).toBe(403);
  });

  it('moves the token from the page URL into the cookie: a redirect to the URL without it', async () => {
    const first = await req(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.body).toBe('');
    expect(String(first.headers['set-cookie'])).toBe(`abuse_desk_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`);
    // Other parameters stay; a path that a browser would read as another host does not survive.
    expect((await req(`/cases/3?tab=notes&token=${server.token}`)).headers.location).toBe('/cases/3?tab=notes');
    expect((await req(`//evil.example/x?token=${server.token}`)).headers.location).toBe('/x');
    // A wrong token is refused, not redirected.
    expect((await req('/?token=nope')).status).toBe(403);
  });

  it('accepts the token in the query, a header or the cookie set with the page', async () => {
    const first = await req(`/?token=${server.token}`);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    const page = await req('/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Abuse Desk</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'.*script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await req('/assets/app.js', { headers: { cookie } })).status).toBe(200);
    expect((await api('settings:get', {}, { cookie })).status).toBe(200);
    expect((await req('/assets/app.js', { headers: auth() })).status).toBe(200);
    expect((await req('/some/route', { headers: auth() })).body).toContain('<title>Abuse Desk</title>');
    for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', `/..%2f${tmp.dir.split('/').pop()}%2fdata%2fsettings.json`]) {
      const r = await req(p, { headers: auth() });
      expect(r.body, p).not.toMatch(/root:|ourNets/);
    }
  });

  it('refuses a foreign Host (DNS rebinding) and cross-origin writes', async () => {
    expect((await req(`/?token=${server.token}`, { host: `evil.example:${server.port}` })).status).toBe(403);
    const r = await api('settings:get', {}, { ...auth(), origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect((await api('settings:get', {}, { ...auth(), origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });
});

describe('serve: the contract over HTTP', () => {
  it('validates requests like IPC', async () => {
    expect((await api('settings:set', { ourNets: ['nope'] })).json).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await api('no:such', {})).json).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await api('dialog:openEvidence', {})).json).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    const notJson = await req('/api/settings:get', { method: 'POST', headers: { ...auth(), 'content-type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(415);
    const app = (await api('app:info', {})).json;
    expect(app).toMatchObject({ ok: true, value: { host: 'browser', nativeDialogs: false } });
  });

  it('refuses server paths as evidence: the browser must upload', async () => {
    const r = await api('analysis:start', { complaintText: 'x', evidence: ['/etc/passwd'], ourNets: [] });
    expect(r.json).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await api('evidence:describe', { path: 'upload:00000000000000000000000000000000' })).json).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses an upload over the limit and keeps nothing of it', async () => {
    const count = (): number => (existsSync(server.uploads.dir) ? readdirSync(server.uploads.dir).length : 0);
    const before = count();
    // Declared too large: refused before reading.
    const r = await req('/api/upload?name=big.bin', { method: 'POST', headers: auth(), body: Buffer.alloc(1_000_001) });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'too_large' } });
    // Chunked, no length: cut off while streaming, the partial file removed.
    const chunked = Readable.from((function* () { for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, i); })());
    const r2 = await req('/api/upload?name=big.bin', { method: 'POST', headers: { ...auth(), 'transfer-encoding': 'chunked' }, body: chunked });
    expect(r2.status).toBe(413);
    expect(count()).toBe(before);
  });

  it('uploads evidence, analyses a case and streams progress and the result', async () => {
    const events: EventMessage[] = [];
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const r = httpRequest({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` }, resolve);
      r.on('error', reject);
      r.end();
    });
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        for (const line of block.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
      }
    });

    const pcap = join(synfloodCase, 'www-border.pcap');
    const up = await req(`/api/upload?name=${encodeURIComponent('../www-border.pcap')}`, {
      method: 'POST', headers: { ...auth(), 'content-type': 'application/octet-stream' }, body: createReadStream(pcap),
    });
    expect(up.status).toBe(200);
    const ref = JSON.parse(up.body);
    expect(ref).toMatchObject({ ok: true, value: { name: 'www-border.pcap', size: statSync(pcap).size } });
    expect(ref.value.ref).toMatch(/^upload:[0-9a-f]{32}$/);

    const described = await api('evidence:describe', { path: ref.value.ref });
    expect(described.json).toMatchObject({ ok: true, value: { format: 'pcap', name: 'www-border.pcap', ref: ref.value.ref } });

    const start = await api('analysis:start', {
      complaintText: readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8'),
      complaintName: 'complaint.txt',
      evidence: [ref.value.ref],
      ourNets: ['198.51.100.0/24'],
    });
    expect(start.json.ok).toBe(true);
    const { jobId } = start.json.value as unknown as { jobId: string };
    const end = Date.now() + 20_000;
    let done: EventMessage | undefined;
    while (!done && Date.now() < end) {
      done = events.find((m) => (m.event === 'onResult' || m.event === 'onJobError') && m.args[0].jobId === jobId);
      await new Promise((r) => setTimeout(r, 20));
    }
    stream.destroy();
    expect(done?.event).toBe('onResult');
    if (done?.event !== 'onResult') return;
    const expected = JSON.parse(readFileSync(join(synfloodCase, 'expected.json'), 'utf8')) as { verdict: string; accused: string };
    expect(done.args[0].result.verdict).toBe(expected.verdict);
    expect(done.args[0].result.accused).toContain(expected.accused);
    expect(events.some((m) => m.event === 'onProgress' && m.args[0].jobId === jobId)).toBe(true);
  });
});

describe('serve: mail intake and the queue', () => {
  it('imports uploaded .eml files, lists the queue, refuses server paths, keeps the IMAP password to itself', async () => {
    const refs: string[] = [];
    for (const f of ['seed003-udp770-compromise', 'seed001-synflood-backscatter']) {
      const text = readFileSync(join(synfloodCase, '..', f, 'complaint.txt'));
      const up = await req(`/api/upload?name=${f}.eml`, { method: 'POST', headers: auth(), body: text });
      refs.push((JSON.parse(up.body) as { value: { ref: string } }).value.ref);
    }
    const imported = await api('intake:importPaths', { uploads: refs });
    expect(imported.json).toMatchObject({ ok: true, value: { messages: 2, cancelled: false } });
    const queue = await api('queue:list', { limit: 10 });
    expect(queue.json.ok).toBe(true);
    expect((queue.json.value!.items as unknown[]).length).toBe(2);
    expect(await api('intake:importPaths', { paths: ['/etc'] })).toMatchObject({ json: { ok: false, error: { code: 'unsupported' } } });
    expect(await api('intake:importPaths', { dialog: 'files' })).toMatchObject({ json: { ok: false, error: { code: 'unsupported' } } });
    const set = await api('imap:setAccount', { host: 'imap.example.net', port: 993, tls: true, user: 'u', folder: 'INBOX', markSeen: false, intervalMinutes: 0, password: 'pw-serve-1' });
    expect(set.json).toMatchObject({ ok: true, value: { hasPassword: true, passwordStorage: 'aes-file' } });
    expect(JSON.stringify(set.json)).not.toContain('pw-serve-1');
    const keyFile = join(tmp.dir, 'data', 'keys', 'imap.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });
});
