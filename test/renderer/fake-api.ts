import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelName, EventArgs, EventName, Result } from '../../electron/common/contract';
import type { AbuseDeskApi, AnalysisResult } from '../../renderer/lib/types';

type Handler = (request: unknown) => Result<unknown> | Promise<Result<unknown>>;

/** An AbuseDeskApi for tests: scripted replies, recorded calls, events fired by hand. */
export class FakeApi {
  host: 'electron' | 'browser';
  readonly calls: Array<{ channel: ChannelName; request: unknown }> = [];
  readonly handlers: Partial<Record<ChannelName, Handler>> = {};
  private readonly listeners = new Map<EventName, Set<(...args: unknown[]) => void>>();
  private jobSeq = 0;
  private uploadSeq = 0;

  constructor(host: 'electron' | 'browser' = 'browser') {
    this.host = host;
    this.handlers['app:info'] = () => ({ ok: true, value: { host, appVersion: '0.1.0', engineVersion: '0.1.0', nativeDialogs: host === 'electron' } });
    this.handlers['settings:get'] = () => ({ ok: true, value: { ourNets: ['198.51.100.0/24'], theme: 'system' } });
    this.handlers['settings:set'] = (r) => ({ ok: true, value: { ourNets: [], theme: 'system', ...(r as object) } });
    this.handlers['analysis:start'] = () => ({ ok: true, value: { jobId: `job${++this.jobSeq}` } });
    this.handlers['analysis:cancel'] = () => ({ ok: true, value: { cancelled: true } });
    this.handlers['evidence:describe'] = (r) => {
      const path = (r as { path: string }).path;
      return {
        ok: true,
        value: {
          ref: path, name: path.split('/').pop()!, format: 'pcap', size: 501096, records: 6864, linkTypes: ['ETHERNET'],
          firstTs: '2025-12-18T00:40:00.000Z', lastTs: '2025-12-18T00:41:02.955Z', timeInferred: false, warnings: [],
        },
      };
    };
    this.handlers['draft:save'] = () => ({ ok: false, error: { code: 'unsupported', message: 'not here' } });
  }

  async invoke(channel: ChannelName, request: unknown): Promise<Result<unknown>> {
    this.calls.push({ channel, request });
    const h = this.handlers[channel];
    if (!h) return { ok: false, error: { code: 'unsupported', message: `${channel} not scripted` } };
    return h(request);
  }

  async evidenceFromFile(file: File, onProgress?: (done: number, total: number) => void) {
    onProgress?.(file.size, file.size);
    const ref = `upload:${(++this.uploadSeq).toString(16).padStart(32, '0')}`;
    return { ok: true as const, value: { ref, name: file.name, size: file.size } };
  }

  on(event: EventName, l: (...args: unknown[]) => void): () => void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(l);
    return () => this.listeners.get(event)!.delete(l);
  }

  emit<E extends EventName>(event: E, ...args: EventArgs<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }

  callsTo(channel: ChannelName): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }

  /** The object the app takes. */
  get api(): AbuseDeskApi {
    const host = () => this.host;
    return {
      get host() { return host(); },
      invoke: (c: ChannelName, r: unknown) => this.invoke(c, r),
      evidenceFromFile: (f: File, p?: (d: number, t: number) => void) => this.evidenceFromFile(f, p),
      onProgress: (l: (...a: unknown[]) => void) => this.on('onProgress', l),
      onResult: (l: (...a: unknown[]) => void) => this.on('onResult', l),
      onJobError: (l: (...a: unknown[]) => void) => this.on('onJobError', l),
      onEngineRestarted: (l: (...a: unknown[]) => void) => this.on('onEngineRestarted', l),
    } as unknown as AbuseDeskApi;
  }
}

// jsdom gives import.meta.url an http: scheme, so resolve from the project root vitest runs in.
const fixtures = join(process.cwd(), 'test/fixtures/results/');

/** A real engine result from test/fixtures/results (see its README). */
export function loadResult(name: string): AnalysisResult {
  return JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8')) as AnalysisResult;
}
