/**
 * The engine host with the real engine in a Node child process: the bundled
 * engine.cjs the app runs as a utility process (built once per run by
 * test/global-setup.ts; `serve` runs the TypeScript entry through tsx, which
 * serve.test.ts covers): results, progress, cancel, and
 * restart after the engine is killed. No timing is asserted here: the
 * progress rate is the throttle's, proved with a fake clock in
 * progress-throttle.test.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineHost, type EngineProcess } from '../../host/engine-host';
import type { EventMessage, JobError, JobProgress, JobResult } from '../../electron/common/events';
import { nodeEngineSpawner } from '../../electron/engine/spawn-node';
import { builtElectron, synfloodCase, tempDir, waitFor, writeBigPcap } from '../electron/helpers';

interface Recorder {
  events: EventMessage[];
  progress(jobId: string): JobProgress[];
  result(jobId: string): JobResult | undefined;
  error(jobId: string): JobError | undefined;
}

function recorder(): Recorder & { emit: (m: EventMessage) => void } {
  const events: EventMessage[] = [];
  return {
    events,
    emit: (m) => { events.push(m); },
    progress: (jobId) => events.flatMap((m) => (m.event === 'onProgress' && m.args[0].jobId === jobId ? [m.args[0]] : [])),
    result: (jobId) => events.flatMap((m) => (m.event === 'onResult' && m.args[0].jobId === jobId ? [m.args[0]] : []))[0],
    error: (jobId) => events.flatMap((m) => (m.event === 'onJobError' && m.args[0].jobId === jobId ? [m.args[0]] : []))[0],
  };
}

const engineEntry = join(builtElectron(inject('electronDist')), 'engine.cjs');
const tmp = tempDir('ad-engine-');
const big = join(tmp.dir, 'big.pcap');
let host: EngineHost;
let rec: ReturnType<typeof recorder>;

beforeAll(() => {
  writeBigPcap(big, 96);
  rec = recorder();
  host = new EngineHost({ spawn: nodeEngineSpawner({ entry: engineEntry, env: { ABUSE_DESK_ENGINE_TEST: '1' } }), emit: rec.emit, restartDelayMs: 20 });
  host.start();
});

afterAll(() => {
  host?.dispose();
  tmp.remove();
});

// The case's own complaint: every packet of the capture is about its accused host, so the engine decodes and weighs
// them all (a complaint about a host not in the capture has its frames skipped undecoded, and ends too soon to cancel).
const bigJob = () => ({ complaintText: readFileSync(join(synfloodCase, 'complaint.txt'), 'utf8'), evidence: [big], ourNets: ['198.51.100.0/24'] });

describe('engine host with the bundled engine in a child process', () => {
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

  it('streams progress while it reads a large capture, and a cancel stops the job before the end of the file', async () => {
    const { jobId } = host.startAnalysis(bigJob());
    // How often progress comes is the throttle's business (test/electron/progress-throttle.test.ts, fake clock).
    const p = await waitFor(() => { const got = rec.progress(jobId); return got.length >= 2 && got; }, 30_000, 'two progress messages');
    expect(p[0]).toMatchObject({ fileIndex: 0, fileCount: 1, file: 'big.pcap', bytesTotal: statSync(big).size });
    expect(p[1].bytesDone).toBeGreaterThanOrEqual(p[0].bytesDone);
    expect(host.cancel(jobId)).toBe(true);
    const e = await waitFor(() => rec.error(jobId), 20_000, 'the cancellation');
    expect(e.error.code).toBe('cancelled');
    expect(rec.result(jobId)).toBeUndefined();
    expect(host.runningJobs()).not.toContain(jobId);
    expect(host.cancel(jobId)).toBe(false);
    // Cancelled, not finished: the engine never reported the whole file read.
    const all = rec.progress(jobId);
    for (let i = 1; i < all.length; i++) expect(all[i].bytesDone).toBeGreaterThanOrEqual(all[i - 1].bytesDone);
    expect(all.at(-1)!.bytesDone).toBeLessThan(all.at(-1)!.bytesTotal!);
    expect(all.map((x) => x.stage)).not.toContain('done');
  });

  it('restarts a killed engine, fails its running job and tells the window', async () => {
    const before = rec.events.filter((m) => m.event === 'onEngineRestarted').length;
    const { jobId } = host.startAnalysis(bigJob());
    await waitFor(() => rec.progress(jobId).length > 0, 20_000, 'first progress');
    const oldPid = host.pid!;
    process.kill(oldPid, 'SIGKILL');
    const e = await waitFor(() => rec.error(jobId), 20_000, 'the job error');
    expect(e.error.code).toBe('engine_crashed');
    const restarted = await waitFor(() => rec.events.filter((m) => m.event === 'onEngineRestarted')[before], 20_000, 'onEngineRestarted');
    expect(restarted.args[0]).toMatchObject({ reason: 'signal SIGKILL', failedJobs: [jobId] });
    // The new engine works.
    await waitFor(() => host.pid && host.pid !== oldPid, 20_000, 'a new engine');
    const d = await host.describe({ path: join(synfloodCase, 'www-border.pcap'), ref: 'x', name: 'www-border.pcap' });
    expect(d).toMatchObject({ format: 'pcap', name: 'www-border.pcap', linkTypes: ['ETHERNET'] });
    expect(d.records).toBeGreaterThan(0);
  });

  it('restarts after the engine crashes on its own', async () => {
    const n = host.restartCount;
    host.crashForTest();
    await waitFor(() => host.restartCount === n + 1, 20_000, 'the restart');
    expect(await host.engineVersion()).toMatch(/^\d+\.\d+\.\d+/);
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
    await waitFor(() => procs.length === 2, 10_000, 'respawn');
    expect(procs[1].sent).toMatchObject([{ type: 'run', job: { kind: 'analyze' } }]);
    expect(h.runningJobs()).toEqual([jobId]);
    h.dispose();
    expect(events.at(-1)).toMatchObject({ event: 'onJobError', args: [{ jobId, error: { code: 'cancelled' } }] });
  });
});
