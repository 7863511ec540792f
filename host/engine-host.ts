/**
 * The engine host: owns the engine process, turns contract calls into engine
 * jobs and engine messages into contract events, and restarts the engine
 * when it dies (failing the jobs it was running, and saying so).
 *
 * No Electron or Node import: the process comes from an injected spawner
 * (`utilityProcess.fork` in the app, `child_process.fork` in `serve` and the
 * tests), so this class is unit-testable as is.
 */
import type { EvidenceDescription } from '../electron/common/contract';
import type { EventMessage } from '../electron/common/events';
import type { Complaint } from '../analysis/complaint/complaint';
import { isFromEngine, type AnalyzeJob, type ComplaintJob, type DescribeJob, type EngineJob, type FromEngine, type ToEngine } from '../electron/common/engine-protocol';
import { CodedError, type ResultError } from '../electron/common/result';

/** The little of a process the host needs. */
export interface EngineProcess {
  postMessage(msg: ToEngine): void;
  onMessage(listener: (msg: unknown) => void): void;
  /** Called once when the process is gone, however it went. */
  onExit(listener: (info: { code: number | null; signal: string | null }) => void): void;
  kill(): void;
  readonly pid?: number;
}

export type EngineSpawner = () => EngineProcess;

export interface EngineHostOptions {
  spawn: EngineSpawner;
  /** Where contract events go (the window, or the server's event stream). */
  emit: (msg: EventMessage) => void;
  /** Job ids; default a random UUID. */
  newJobId?: () => string;
  /** After cancel, how long a job may take to stop before the engine is killed (default 5 s). */
  cancelGraceMs?: number;
  /** Delay before restarting after a crash; grows while crashes repeat (default 100 ms doubling to 10 s). */
  restartDelayMs?: number;
  log?: (line: string) => void;
}

interface Pending {
  seq: number;
  jobId?: string;
  job: EngineJob;
  resolve?: (v: unknown) => void;
  reject?: (e: CodedError) => void;
  cancelTimer?: ReturnType<typeof setTimeout>;
}

export class EngineHost {
  private proc: EngineProcess | undefined;
  private seq = 0;
  private readonly jobs = new Map<number, Pending>();
  private readonly byJobId = new Map<string, number>();
  private restarts = 0;
  private recentCrashes: number[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private version: Promise<string> | undefined;

  constructor(private readonly opts: EngineHostOptions) {}

  /** Start the engine now rather than at the first job. */
  start(): void {
    this.ensure();
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get restartCount(): number {
    return this.restarts;
  }

  /** Ids of analyses still running. */
  runningJobs(): string[] {
    return [...this.byJobId.keys()];
  }

  /** Start an analysis; its progress, result or error arrive as events. */
  startAnalysis(job: Omit<AnalyzeJob, 'kind'>): { jobId: string } {
    const jobId = this.opts.newJobId?.() ?? crypto.randomUUID();
    const p = this.post({ kind: 'analyze', ...job });
    p.jobId = jobId;
    this.byJobId.set(jobId, p.seq);
    return { jobId };
  }

  /** Describe one file in the engine (request/response: no events). */
  describe(job: Omit<DescribeJob, 'kind'>): Promise<EvidenceDescription> {
    return new Promise((resolve, reject) => {
      const p = this.post({ kind: 'describe', ...job });
      p.resolve = resolve as (v: unknown) => void;
      p.reject = reject;
    });
  }

  /** Parse a complaint in the engine (request/response: no events). */
  parseComplaint(job: Omit<ComplaintJob, 'kind'>): Promise<Complaint> {
    return new Promise((resolve, reject) => {
      const p = this.post({ kind: 'complaint', ...job });
      p.resolve = resolve as (v: unknown) => void;
      p.reject = reject;
    });
  }

  /** The engine's version, asked once. */
  engineVersion(): Promise<string> {
    this.version ??= new Promise<{ engineVersion: string }>((resolve, reject) => {
      const p = this.post({ kind: 'version' });
      p.resolve = resolve as (v: unknown) => void;
      p.reject = reject;
    }).then((v) => v.engineVersion, (e: unknown) => { this.version = undefined; throw e; });
    return this.version;
  }

  /** Ask the engine to stop a job; false when no such job is running. */
  cancel(jobId: string): boolean {
    const seq = this.byJobId.get(jobId);
    const p = seq === undefined ? undefined : this.jobs.get(seq);
    if (!p) return false;
    this.proc?.postMessage({ seq: p.seq, type: 'cancel' });
    // An engine stuck in a long synchronous stage cannot see the abort: kill it
    // (the restart fails the job as cancelled, not crashed).
    p.cancelTimer ??= setTimeout(() => {
      if (this.jobs.has(p.seq)) {
        this.log(`job ${jobId} did not stop within the grace period; restarting the engine`);
        this.finish(p, { code: 'cancelled', message: 'cancelled' });
        this.proc?.kill();
      }
    }, this.opts.cancelGraceMs ?? 5000);
    return true;
  }

  /** Test hook: ask an engine started with ABUSE_DESK_ENGINE_TEST=1 to crash. */
  crashForTest(): void {
    this.post({ kind: 'crash' });
  }

  dispose(): void {
    this.disposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const p of [...this.jobs.values()]) this.finish(p, { code: 'cancelled', message: 'the application is closing' });
    const proc = this.proc;
    this.proc = undefined;
    proc?.kill();
  }

  private log(line: string): void {
    this.opts.log?.(`engine-host: ${line}`);
  }

  private post(job: EngineJob): Pending {
    if (this.disposed) throw new CodedError('internal', 'the engine host is closed');
    const p: Pending = { seq: ++this.seq, job };
    this.jobs.set(p.seq, p);
    // While a restart is pending the job waits; ensure() sends it on spawn.
    if (this.proc) this.proc.postMessage({ seq: p.seq, type: 'run', job });
    else if (!this.restartTimer) this.ensure();
    return p;
  }

  private ensure(): void {
    if (this.proc || this.disposed) return;
    const proc = this.opts.spawn();
    this.proc = proc;
    proc.onMessage((m) => {
      if (this.proc === proc && isFromEngine(m)) this.onEngineMessage(m);
    });
    proc.onExit((info) => this.onExit(proc, info));
    // Jobs posted while no engine ran (after a crash) go to the new one.
    for (const p of this.jobs.values()) proc.postMessage({ seq: p.seq, type: 'run', job: p.job });
  }

  private onEngineMessage(m: FromEngine): void {
    const p = this.jobs.get(m.seq);
    if (!p) return;
    if (m.type === 'progress') {
      if (p.jobId) this.opts.emit({ event: 'onProgress', args: [{ jobId: p.jobId, ...m.progress }] });
      return;
    }
    if (m.type === 'result') this.finish(p, undefined, m.value);
    else this.finish(p, m.error);
  }

  private finish(p: Pending, error: ResultError | undefined, value?: unknown): void {
    if (!this.jobs.delete(p.seq)) return;
    if (p.cancelTimer) clearTimeout(p.cancelTimer);
    if (p.jobId) {
      this.byJobId.delete(p.jobId);
      if (error) this.opts.emit({ event: 'onJobError', args: [{ jobId: p.jobId, error }] });
      else this.opts.emit({ event: 'onResult', args: [{ jobId: p.jobId, result: value as never }] });
    } else if (error) {
      p.reject?.(new CodedError(error.code, error.message));
    } else {
      p.resolve?.(value);
    }
  }

  private onExit(proc: EngineProcess, info: { code: number | null; signal: string | null }): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    if (this.disposed) return;
    const reason = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
    this.log(`engine exited (${reason})`);
    const failedJobs: string[] = [];
    for (const p of [...this.jobs.values()]) {
      if (p.jobId) failedJobs.push(p.jobId);
      this.finish(p, { code: 'engine_crashed', message: `the analysis engine stopped (${reason}); it has been restarted` });
    }
    this.restarts++;
    this.opts.emit({ event: 'onEngineRestarted', args: [{ reason, failedJobs, restarts: this.restarts }] });
    // Back off while the engine keeps dying (a crash loop must not spin).
    const now = Date.now();
    this.recentCrashes = [...this.recentCrashes.filter((t) => now - t < 60_000), now];
    const base = this.opts.restartDelayMs ?? 100;
    const delay = Math.min(10_000, base * 2 ** (this.recentCrashes.length - 1));
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.ensure();
    }, delay);
  }
}
