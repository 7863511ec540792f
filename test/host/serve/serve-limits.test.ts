/**
 * `serve` against a hostile local peer, with real sockets on 127.0.0.1:
 * sockets over the total and per-address caps are closed, a silent socket
 * and a slow-header one are closed after their (short, test-sized) budgets
 * while an event stream stays open, the 21st event stream is refused, and a
 * malformed request is a 400 that logs one line and no stack.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineProcess } from '../../../host/engine-host';
import { startServer, type RunningServer } from '../../../host/serve/server';
import { DEFAULT_SERVE_LIMITS, EventStreamGate, serveLimits } from '../../../host/serve/serve-limits';
import { tempDir, waitFor } from '../../electron/helpers';

/** No analysis runs here: an engine that never answers is enough. */
function idleEngine(): EngineProcess {
  let exit: ((info: { code: number | null; signal: string | null }) => void) | undefined;
  return {
    postMessage: () => undefined,
    onMessage: () => undefined,
    onExit: (l) => { exit = l; },
    kill: () => exit?.({ code: null, signal: 'SIGTERM' }),
  };
}

const tmp = tempDir('ad-serve-limits-');
const logs: string[] = [];
let capped: RunningServer;
let quick: RunningServer;

beforeAll(async () => {
  const common = { rendererDir: join(tmp.dir, 'none'), spawnEngine: idleEngine, log: (l: string) => logs.push(l) };
  capped = await startServer({ ...common, dataDir: join(tmp.dir, 'capped'), limits: { maxConnections: 4, maxConnectionsPerRemote: 3 } });
  quick = await startServer({ ...common, dataDir: join(tmp.dir, 'quick'), limits: { idleMs: 300, headersMs: 800 } });
});

afterAll(async () => {
  await capped?.close();
  await quick?.close();
  tmp.remove();
});

interface Probe {
  socket: Socket;
  /** Everything the server sent. */
  received(): string;
  closed: Promise<void>;
  isClosed(): boolean;
}

/** A raw TCP client (optionally from another loopback address), connected. */
async function open(server: RunningServer, localAddress?: string): Promise<Probe> {
  const socket = connect({ host: '127.0.0.1', port: server.port, ...(localAddress ? { localAddress } : {}) });
  let data = '';
  let closed = false;
  socket.on('data', (b: Buffer) => { data += b.toString('latin1'); });
  socket.on('error', () => undefined); // a reset is one way of being closed
  const closedP = new Promise<void>((r) => socket.once('close', () => { closed = true; r(); }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed: closedP, isClosed: () => closed };
}

/** One keep-alive request on the probe; resolves with the status line once the reply has arrived. */
async function ask(p: Probe, target = '/'): Promise<string> {
  const before = p.received().length;
  p.socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  await waitFor(() => p.received().length > before || p.isClosed(), 5_000, 'a reply or a close');
  return p.received().slice(before).split('\r\n')[0];
}

/** Retry an async attempt until it yields a value (every 20 ms), or fail after `ms`. */
async function retry<T>(attempt: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await attempt();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);

describe('serve: connection caps', () => {
  it('closes a socket over the per-address cap, takes one from another address, then refuses over the total cap', async () => {
    const mine: Probe[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await open(capped);
      // The reply proves the server counted this socket before the next one opens.
      expect(await ask(p)).toBe('HTTP/1.1 403 Forbidden');
      mine.push(p);
    }
    const fourth = await open(capped);
    await within(fourth.closed, 5_000, 'closing the 4th socket from 127.0.0.1');
    expect(fourth.received()).toBe('');

    // Linux routes all of 127/8 to lo: the same server sees another peer address.
    const other = await open(capped, '127.0.0.2');
    expect(await ask(other)).toBe('HTTP/1.1 403 Forbidden');
    const fifth = await open(capped, '127.0.0.3');
    await within(fifth.closed, 5_000, 'closing a 5th socket (total cap 4)');
    expect(fifth.received()).toBe('');

    // A freed slot is usable again.
    mine[0].socket.destroy();
    await mine[0].closed;
    const again = await retry(async () => {
      const p = await open(capped);
      if ((await ask(p)) === 'HTTP/1.1 403 Forbidden') return p;
      p.socket.destroy();
      return undefined;
    }, 5_000, 'a socket accepted after one closed');
    expect(again.isClosed()).toBe(false);
    for (const p of [...mine, other, again]) p.socket.destroy();
    expect(logs.some((l) => /refusing connections over the cap/.test(l))).toBe(true);
  });
});

describe('serve: idle and header budgets', () => {
  it('closes a socket that sends nothing, and one that stops mid-request', async () => {
    const silent = await open(quick);
    await within(silent.closed, 10_000, 'closing a silent socket');
    expect(silent.received()).toBe('');
    const half = await open(quick);
    half.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1');
    await within(half.closed, 10_000, 'closing a socket that stopped mid-headers');
  });

  it('closes a socket that dribbles its headers past the header budget (slowloris)', async () => {
    const slow = await open(quick);
    slow.socket.write('GET / HTTP/1.1\r\n');
    // A byte every 100 ms keeps it from ever being idle for 300 ms.
    const drip = setInterval(() => { if (!slow.isClosed()) slow.socket.write('X-Slow: a\r\n'); }, 100);
    try {
      await within(slow.closed, 10_000, 'closing the slow-header socket');
    } finally {
      clearInterval(drip);
    }
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps an event stream open past the idle budget', async () => {
    const stream = await open(quick);
    stream.socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${quick.port}\r\nx-abuse-desk-token: ${quick.token}\r\n\r\n`);
    await waitFor(() => stream.received().includes('abuse-desk events'), 5_000, 'the stream opening');
    expect(stream.received()).toMatch(/^HTTP\/1\.1 200/);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(stream.isClosed()).toBe(false);
    stream.socket.destroy();
  });
});

/** Opens GET /api/events with the token header; resolves with the response. */
function eventStream(server: RunningServer): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { 'x-abuse-desk-token': server.token } }, resolve);
    r.on('error', reject);
    r.end();
  });
}

describe('serve: event streams per token', () => {
  it('refuses the 21st stream with 429 and takes a new one after another closed', async () => {
    expect(DEFAULT_SERVE_LIMITS.maxEventStreams).toBe(20);
    const open20: IncomingMessage[] = [];
    for (let i = 0; i < 20; i++) open20.push(await eventStream(quick));
    expect(open20.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const refused = await eventStream(quick);
    expect(refused.statusCode).toBe(429);
    refused.resume();
    open20[0].destroy();
    open20[0] = await retry(async () => {
      const r = await eventStream(quick);
      if (r.statusCode === 200) return r;
      r.resume();
      return undefined;
    }, 5_000, 'a stream accepted after one closed');
    for (const r of open20) r.destroy();
  });

  it('counts streams per token and releases each once', () => {
    const gate = new EventStreamGate(2);
    const a = gate.acquire('t1');
    const b = gate.acquire('t1');
    expect(gate.acquire('t1')).toBeUndefined();
    expect(gate.acquire('t2')).toBeTypeOf('function');
    a!();
    a!();
    expect(gate.count('t1')).toBe(1);
    expect(gate.acquire('t1')).toBeTypeOf('function');
    b!();
    expect(gate.count('t1')).toBe(1);
  });

  it('refuses nonsense budgets', () => {
    expect(() => serveLimits({ idleMs: 0 })).toThrow(/idleMs/);
    expect(() => serveLimits({ maxConnections: 1.5 })).toThrow(/maxConnections/);
  });
});

/** A raw request on a fresh socket; the whole reply once the server answered. */
async function raw(server: RunningServer, text: string): Promise<string> {
  const p = await open(server);
  p.socket.write(text);
  await waitFor(() => /\r\n\r\n/.test(p.received()) || p.isClosed(), 5_000, 'a reply');
  await new Promise((r) => setTimeout(r, 20));
  p.socket.destroy();
  return p.received();
}

describe('serve: malformed requests', () => {
  it('answers 400, logs one line and no stack', async () => {
    const before = logs.length;
    const post = (target: string, body = '{}') => raw(quick,
      `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${quick.port}\r\nx-abuse-desk-token: ${quick.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    const badChannel = await post('/api/%E0%A4%A');
    expect(badChannel).toMatch(/^HTTP\/1\.1 400/);
    expect(badChannel).toContain('"code":"bad_request"');
    expect(badChannel).toContain('malformed channel name');
    expect(badChannel).not.toMatch(/\bat .*\.ts:\d+/);
    expect(await post('/api/settings:get', '{"unterminated')).toMatch(/^HTTP\/1\.1 400/);
    // Not HTTP at all: Node's own 400, nothing logged.
    expect(await raw(quick, 'HELLO THERE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    // A well-formed call still works on the same server.
    expect(await post('/api/settings:get')).toMatch(/^HTTP\/1\.1 200[\s\S]*"ok":true/);
    const lines = logs.slice(before);
    expect(lines.some((l) => l.includes('400') && l.includes('malformed channel name'))).toBe(true);
    for (const l of lines) {
      expect(l).not.toMatch(/\n\s+at /);
      expect(l).not.toMatch(/ 500 /);
    }
  });
});
