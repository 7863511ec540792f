/**
 * The engine host with the real engine in a Node child process (the same
 * entry the app runs as a utility process): progress rate, cancel, and
 * restart after the engine is killed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost, type EngineProcess } from '../../electron/common/engine-host';
import type { EventMessage, JobError, JobProgress, JobResult } from '../../electron/common/events';
import { nodeEngineSpawner } from '../../electron/engine/spawn-node';
import { repoRoot } from '../helpers/paths';
import { synfloodCase, tempDir, UNRELATED_COMPLAINT, waitFor, writeBigPcap } from './helpers';

interface Recorder {
  events: EventMessage[];
  progress(jobId: string): Array<JobProgress & { at: number }>;
  result(jobId: string): JobResult | undefined;
  error(jobId: string): JobError | undefined;
}

function recorder(): Recorder & { emit: (m: EventMessage) => void } {
  const events: EventMessage[] = [];
  const times = new WeakMap<EventMessage, number>();
  return {
    events,
    emit: (m) => { times.set(m, performance.now()); events.push(m); },
    progress: (jobId) => events.flatMap((m) => (m.event === 'onProgress' && m.args[0].jobId === jobId ? [{ ...m.args[0], at: times.get(m)! }] : [])),
    result: (jobId) => events.flatMap((m) => (m.event === 'onResult' && m.args[0].jobId === jobId ? [m.args[0]] : []))[0],
    error: (jobId) => events.flatMap((m) => (m.event === 'onJobError' && m.args[0].jobId === jobId ? [m.args[0]] : []))[0],
  };
}

const tmp = tempDir('ad-engine-');
const big = join(tmp.dir, 'big.pcap');
let host: EngineHost;
let rec: ReturnType<typeof recorder>;

beforeAll(() => {
  writeBigPcap(big, 96);
  rec = recorder();
  host = new EngineHost({ spawn: nodeEngineSpawner({ env: { ABUSE_DESK_ENGINE_TEST: '1' } }), emit: rec.emit, restartDelayMs: 20 });
  host.start();
});

afterAll(() => {
  host?.dispose();
  tmp.remove();
});

const bigJob = () => ({ complaintText: UNRELATED_COMPLAINT, evidence: [big], ourNets: ['198.51.100.0/24'] });

describe('engine host with a child-process engine', () => {
  it('analyses a case and answers with the result', async () => {
    const { jobId } = host.startAnalysis({
      complaintText: readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8'),
      complaintName: 'complaint.txt',
      evidence: [join(synfloodCase, 'www-border.pcap')],
      ourNets: ['198.51.100.0/24'],
    });
    const r = await waitFor(() => rec.result(jobId) ?? rec.error(jobId), 20_000, 'the result');
    expect(r).toHaveProperty('result');
    const res = (r as JobResult).result;
    expect(res.accused).toContain('198.51.100.80');
    expect(res.verdict).toBe('backscatter');
    expect(typeof res.draft.body).toBe('string');
    // The last progress of the file says it is done.
    expect(rec.progress(jobId).at(-1)).toMatchObject({ fileIndex: 0, fileCount: 1, stage: 'done', file: 'www-border.pcap' });
  });

  it('reports progress at least 4 times a second on a large capture, throttled to about 5', async () => {
    const { jobId } = host.startAnalysis(bigJob());
    await waitFor(() => rec.result(jobId) ?? rec.error(jobId), 40_000, 'the result');
    expect(rec.result(jobId)).toBeDefined();
    const p = rec.progress(jobId).filter((x) => x.stage !== 'done');
    expect(p.length).toBeGreaterThanOrEqual(4);
    const span = (p.at(-1)!.at - p[0].at) / 1000;
    const rate = (p.length - 1) / span;
    console.log(`progress: ${p.length} messages in ${span.toFixed(2)} s = ${rate.toFixed(1)}/s`);
    expect(span).toBeGreaterThan(0.75);
    expect(rate).toBeGreaterThanOrEqual(4);
    expect(rate).toBeLessThanOrEqual(7);
    // bytesDone only grows, up to the file's size.
    for (let i = 1; i < p.length; i++) expect(p[i].bytesDone).toBeGreaterThanOrEqual(p[i - 1].bytesDone);
    expect(p.at(-1)!.bytesDone).toBeLessThanOrEqual(p.at(-1)!.bytesTotal!);
  });

  it('cancels a running job', async () => {
    const { jobId } = host.startAnalysis(bigJob());
    await waitFor(() => rec.progress(jobId).length > 0, 20_000, 'first progress');
    const asked = performance.now();
    expect(host.cancel(jobId)).toBe(true);
    const e = await waitFor(() => rec.error(jobId), 5_000, 'the cancellation');
    expect(e.error.code).toBe('cancelled');
    expect(performance.now() - asked).toBeLessThan(2_000);
    expect(rec.result(jobId)).toBeUndefined();
    expect(host.runningJobs()).not.toContain(jobId);
    expect(host.cancel(jobId)).toBe(false);
  });

  it('restarts a killed engine, fails its running job and tells the window', async () => {
    const before = rec.events.filter((m) => m.event === 'onEngineRestarted').length;
    const { jobId } = host.startAnalysis(bigJob());
    await waitFor(() => rec.progress(jobId).length > 0, 20_000, 'first progress');
    const oldPid = host.pid!;
    process.kill(oldPid, 'SIGKILL');
    const e = await waitFor(() => rec.error(jobId), 5_000, 'the job error');
    expect(e.error.code).toBe('engine_crashed');
    const restarted = await waitFor(() => rec.events.filter((m) => m.event === 'onEngineRestarted')[before], 5_000, 'onEngineRestarted');
    expect(restarted.args[0]).toMatchObject({ reason: 'signal SIGKILL', failedJobs: [jobId] });
    // The new engine works.
    await waitFor(() => host.pid && host.pid !== oldPid, 5_000, 'a new engine');
    const d = await host.describe({ path: join(synfloodCase, 'www-border.pcap'), ref: 'x', name: 'www-border.pcap' });
    expect(d).toMatchObject({ format: 'pcap', name: 'www-border.pcap', linkTypes: ['ETHERNET'] });
    expect(d.records).toBeGreaterThan(0);
  });

  it('restarts after the engine crashes on its own', async () => {
    const n = host.restartCount;
    host.crashForTest();
    await waitFor(() => host.restartCount === n + 1, 5_000, 'the restart');
    expect(await host.engineVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('the bundled engine (dist/electron/engine.cjs)', () => {
  it('runs under plain Node as a forked child, like in the utility process', async () => {
    execFileSync(process.execPath, [join(repoRoot, 'build', 'build-electron.mjs')], { stdio: 'pipe' });
    const events: EventMessage[] = [];
    const h = new EngineHost({ spawn: nodeEngineSpawner({ entry: join(repoRoot, 'dist', 'electron', 'engine.cjs') }), emit: (m) => events.push(m) });
    try {
      const d = await h.describe({ path: join(synfloodCase, 'www-border.pcap'), ref: 'r', name: 'www-border.pcap' });
      expect(d).toMatchObject({ format: 'pcap', records: expect.any(Number) });
      const { jobId } = h.startAnalysis({ complaintText: readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8'), evidence: [join(synfloodCase, 'www-border.pcap')], ourNets: [] });
      const done = await waitFor(() => events.find((m) => (m.event === 'onResult' || m.event === 'onJobError') && m.args[0].jobId === jobId), 20_000, 'the result');
      expect(done.event).toBe('onResult');
    } finally {
      h.dispose();
    }
  });
});

describe('engine host restart policy (fake engine)', () => {
  it('sends jobs posted during a restart to the new engine, and backs off', async () => {
    const procs: Array<{ sent: unknown[]; exit: (code: number) => void }> = [];
    const spawn = (): EngineProcess => {
      let onExit: ((i: { code: number | null; signal: string | null }) => void) | undefined;
      const p = { sent: [] as unknown[], exit: (code: number) => onExit?.({ code, signal: null }) };
      procs.push(p);
      return { postMessage: (m) => p.sent.push(m), onMessage: () => undefined, onExit: (l) => { onExit = l; }, kill: () => p.exit(137) };
    };
    const events: EventMessage[] = [];
    const h = new EngineHost({ spawn, emit: (m) => events.push(m), restartDelayMs: 30 });
    h.start();
    procs[0].exit(1);
    expect(events.at(-1)).toMatchObject({ event: 'onEngineRestarted', args: [{ reason: 'exit code 1', failedJobs: [], restarts: 1 }] });
    const { jobId } = h.startAnalysis({ complaintText: 'x', evidence: [], ourNets: [] });
    expect(procs).toHaveLength(1);
    await waitFor(() => procs.length === 2, 1_000, 'respawn');
    expect(procs[1].sent).toMatchObject([{ type: 'run', job: { kind: 'analyze' } }]);
    expect(h.runningJobs()).toEqual([jobId]);
    h.dispose();
    expect(events.at(-1)).toMatchObject({ event: 'onJobError', args: [{ jobId, error: { code: 'cancelled' } }] });
  });
});
