/**
 * renderer/lib/http-client.ts against a real `serve` (in Node: fetch is
 * Node's, EventSource a minimal one over node:http; the upload path through
 * XMLHttpRequest is exercised by the browser e2e tests).
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../host/serve/server';
import type { AbuseDeskApi } from '../../../electron/common/contract';
import type { JobResult } from '../../../electron/common/events';
import { nodeEngineSpawner } from '../../../electron/engine/spawn-node';
import { createHttpClient } from '../../../renderer/lib/http-client';
import { synfloodCase, tempDir, waitFor } from '../../electron/helpers';

/** Just enough EventSource for the client: `onmessage` with `data:` lines, `close()`. */
class NodeEventSource {
  onmessage: ((e: { data: string }) => void) | null = null;
  private req;
  constructor(url: string) {
    this.req = request(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const data = buf.slice(0, i).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          buf = buf.slice(i + 2);
          if (data) this.onmessage?.({ data });
        }
      });
    });
    this.req.on('error', () => undefined);
    this.req.end();
  }
  close(): void {
    this.req.destroy();
  }
}

const tmp = tempDir('ad-client-');
let server: RunningServer;
let api: AbuseDeskApi;

beforeAll(async () => {
  server = await startServer({ dataDir: join(tmp.dir, 'data'), rendererDir: join(tmp.dir, 'none'), spawnEngine: nodeEngineSpawner() });
  api = createHttpClient({ baseUrl: server.url, token: server.token, fetch, EventSource: NodeEventSource as unknown as typeof EventSource });
});

afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('http client', () => {
  it('calls channels and returns their Results', async () => {
    expect(api.host).toBe('browser');
    expect(await api.invoke('settings:set', { ourNets: ['198.51.100.0/24'], theme: 'dark' })).toEqual({ ok: true, value: { ourNets: ['198.51.100.0/24'], theme: 'dark' } });
    expect(await api.invoke('settings:get', {})).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(await api.invoke('settings:set', { ourNets: ['x'] })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await api.invoke('draft:save', { format: 'eml', subject: 's', body: 'b' })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('maps a wrong token and an unreachable server to error Results', async () => {
    const bad = createHttpClient({ baseUrl: server.url, token: 'nope', fetch, EventSource: NodeEventSource as unknown as typeof EventSource });
    expect(await bad.invoke('settings:get', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const gone = createHttpClient({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch, EventSource: NodeEventSource as unknown as typeof EventSource });
    expect(await gone.invoke('settings:get', {})).toMatchObject({ ok: false, error: { code: 'io_error' } });
  });

  it('delivers events to subscribers and stops after unsubscribe', async () => {
    // Evidence comes by upload in the browser; the server's own store stands in for XMLHttpRequest here.
    const { Readable } = await import('node:stream');
    const ref = await server.uploads.save(Readable.from([readFileSync(join(synfloodCase, 'www-border.pcap'))]), 'www-border.pcap');
    const results: JobResult[] = [];
    let progress = 0;
    const off1 = api.onResult((r) => results.push(r));
    const off2 = api.onProgress(() => { progress++; });
    await new Promise((r) => setTimeout(r, 100)); // let the stream connect
    const started = await api.invoke('analysis:start', {
      complaintText: readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8'), evidence: [ref.ref], ourNets: ['198.51.100.0/24'],
    });
    expect(started.ok).toBe(true);
    const jobId = started.ok ? started.value.jobId : '';
    const r = await waitFor(() => results.find((x) => x.jobId === jobId), 20_000, 'onResult');
    expect(r.result.verdict).toBe('backscatter');
    expect(progress).toBeGreaterThan(0);
    off1();
    off2();
  });
});
