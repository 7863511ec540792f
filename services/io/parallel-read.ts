import { stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AbortError, Diagnostics } from '../../analysis/events/diagnostics';
import type { Progress, ReadSummary, TimeReference } from '../../analysis/ingest/reader';
import type { CaseAnalysis } from '../../analysis/pipeline';
import { joinDiagnostics, joinSummaries, readTask, type EvidenceTask } from './evidence-task';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './part-worker';
import { planPcapRanges } from './pcap-split';
import { readEvidenceFile } from './read-file';
import { partWorkerEntry, type WorkerEntry } from './worker-entry';

/** How a case's evidence may use the machine's cores. */
export interface ParallelOptions {
  /**
   * Worker threads that read the evidence while the calling thread only
   * merges (its heap, which cannot be capped from here, stays small); below 2
   * everything is read in the calling thread, as one pass.
   */
  workers: number;
  /** A classic pcap file at least this large is split at record boundaries across the threads. */
  splitMinBytes: number;
  /** Below this much evidence in all, starting a worker (~0.1 s) costs more than it saves. */
  minTotalBytes: number;
}

/** Workers pay only beside a calling thread that has a core of its own to merge on. */
const MIN_CORES_FOR_WORKERS = 4;

/**
 * One worker per core (at most four) on a machine of four cores or more
 * with at least one and a half idle, else none. On two cores the workers
 * and the merge share the two: an idle 2-core machine gave flood 200 MiB
 * 11.4 s in one pass against 11.8 s with two workers, mixed 1 GiB 4.3 s
 * against 6.2 s, web 1 GiB 5.5 s against 4.7 s, each time at 1.7-1.9 times
 * the peak RSS (a heap per worker). On a busy machine workers add CPU time
 * (a second JIT and GC, the merge) and gain nothing. The result is the same
 * either way; ABUSE_DESK_WORKERS=N decides instead (0 or 1: one pass in the
 * calling thread).
 */
export function parallelDefaults(): ParallelOptions {
  const env = process.env.ABUSE_DESK_WORKERS;
  const cores = availableParallelism();
  const workers = env !== undefined && env !== '' && Number.isFinite(Number(env))
    ? Math.max(0, Math.floor(Number(env)))
    : cores >= MIN_CORES_FOR_WORKERS && cores - loadavg()[0] >= 1.5 ? Math.min(cores, 4) : 0;
  return { workers, splitMinBytes: 64 << 20, minTotalBytes: 48 << 20 };
}

/**
 * Each worker's old generation. The accumulators of a flood need under
 * 100 MB of heap (their big tables are typed arrays, outside it); a cap near
 * that made a worker collect all the time (flood 200 MiB: 20 CPU s at 96 MB,
 * 18 at 512), while peak RSS stayed ~470 MB either way. A worker past the
 * cap fails and its part is read again in the calling thread.
 */
const WORKER_OLD_SPACE_MB = 256;
const WORKER_YOUNG_SPACE_MB = 16;

export interface EvidenceInput {
  paths: string[];
  signal?: AbortSignal;
  reference?: TimeReference;
  onProgress?: (p: Progress, fileIndex: number) => void;
}

/** What a worker said about one task once it had read it; its state stays in the worker until asked for. */
interface Outcome {
  summary: ReadSummary;
  diag: Diagnostics;
  worker?: PartWorker;
  failed?: string;
}

/** What the last parallel read did, for tests and the bench: how many tasks ran in workers, and which were read again here. */
export const lastParallelRead: { tasks: number; inWorkers: number; fellBack: number; why?: string } = { tasks: 0, inWorkers: 0, fellBack: 0 };

/**
 * Read every evidence file into a new analysis (`make`). With two workers or more, large
 * classic pcaps are cut into ranges and the workers read the files and
 * ranges at once, each into an analysis of its own, while this thread only
 * merges: the parts are merged in file order (every accumulator merges
 * exactly), so the result is the one a single pass gives. A part whose
 * worker failed, or whose state could not cross threads, is read again here.
 */
export async function readEvidence(input: EvidenceInput, setup: WorkerSetup, make: () => CaseAnalysis, par: ParallelOptions): Promise<CaseAnalysis> {
  Object.assign(lastParallelRead, { tasks: 0, inWorkers: 0, fellBack: 0, why: undefined });
  // Without workers the sizes decide nothing: no stat of every file before it is read.
  if (par.workers < 2) return onePass(input, make());
  const sizes = await Promise.all(input.paths.map((p) => stat(p).then((s) => (s.isFile() ? s.size : 0), () => 0)));
  const entry = par.workers >= 2 && sizes.reduce((a, b) => a + b, 0) >= par.minTotalBytes ? partWorkerEntry() : undefined;
  const tasks: EvidenceTask[] = [];
  if (entry) {
    for (const [file, path] of input.paths.entries()) {
      const ranges = sizes[file] >= par.splitMinBytes ? await planPcapRanges(path, sizes[file], par.workers) : undefined;
      if (ranges) for (const range of ranges) tasks.push({ file, path, size: sizes[file], range });
      else tasks.push({ file, path, size: sizes[file] });
    }
  }
  if (!entry || tasks.length < 2) return onePass(input, make());
  lastParallelRead.tasks = tasks.length;
  try {
    return await inParallel(input, tasks, entry, setup, make, par.workers);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    // Workers that cannot start (the complaint would not clone, no thread left): one pass, as without them.
    lastParallelRead.why = `workers failed: ${(e as Error).message}`;
    return onePass(input, make());
  }
}

async function onePass(input: EvidenceInput, analysis: CaseAnalysis): Promise<CaseAnalysis> {
  for (const [i, path] of input.paths.entries()) {
    const onProgress = input.onProgress && ((p: Progress) => input.onProgress!(p, i));
    const { summary, diag } = await readEvidenceFile(path, { onEvent: analysis.sink, caseAddresses: analysis.addresses, signal: input.signal, reference: input.reference, onProgress });
    analysis.addSummary(summary, diag.messages());
  }
  return analysis;
}

async function inParallel(
  input: EvidenceInput, tasks: EvidenceTask[], entry: WorkerEntry, setup: WorkerSetup, make: () => CaseAnalysis, workers: number,
): Promise<CaseAnalysis> {
  let analysis = make();
  const pool: PartWorker[] = [];
  try {
    const outcomes = await readInWorkers(tasks, input, setup, entry, Math.min(workers, tasks.length), pool);
    // The calling thread's analysis has read nothing yet: the first part's state becomes its own.
    let merged = false;
    for (let file = 0; file < input.paths.length; file++) {
      const mine = tasks.map((t, i) => ({ t, i })).filter(({ t }) => t.file === file);
      const summaries: ReadSummary[] = [];
      const diag = new Diagnostics();
      for (const { t, i } of mine) {
        let o = outcomes[i];
        if (o.failed === undefined) {
          try {
            // One state in flight at a time, and each worker ends once it holds nothing more: memory stays flat.
            analysis.mergeEncoded(await o.worker!.fetch(i), !merged);
            merged = true;
            if (!outcomes.some((x, k) => k > i && x.worker === o.worker)) await o.worker!.end();
          } catch (e) {
            // Taken over half-way, the calling thread's analysis is spoilt; nothing else was in it yet.
            if (!merged) analysis = make();
            o = { ...o, failed: `its state could not be merged: ${(e as Error).message}` };
          }
        }
        if (o.failed !== undefined) {
          lastParallelRead.fellBack++;
          lastParallelRead.why = o.failed;
          const local = make();
          const r = await readTask(t, { onEvent: local.sink, caseAddresses: local.addresses, signal: input.signal, reference: input.reference });
          analysis.mergeFrom(local);
          merged = true;
          o = r;
        }
        summaries.push(o.summary);
        joinDiagnostics(diag, o.diag.weirds, o.diag.counts);
      }
      const summary = summaries.length > 1 ? joinSummaries(summaries, mine[0].t.size) : summaries[0];
      analysis.addSummary(summary, diag.messages());
    }
  } finally {
    await Promise.all(pool.map((w) => w.end()));
  }
  return analysis;
}

/** Every task read by `workers` workers, each taking the next task as it is free. */
async function readInWorkers(
  tasks: EvidenceTask[], input: EvidenceInput, setup: WorkerSetup,
  entry: WorkerEntry, workers: number, pool: PartWorker[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(tasks.length);
  const progress = new FileProgress(tasks, input.onProgress);
  let next = 0;
  let stop: (e: Error) => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => { stop = reject; });
  aborted.catch(() => undefined);
  const onAbort = (): void => stop(new AbortError());
  input.signal?.addEventListener('abort', onAbort);
  const run = async (w: PartWorker): Promise<void> => {
    // A worker that failed takes no more tasks; the one it had is read again afterwards.
    for (let i = next++; i < tasks.length; i = next++) {
      lastParallelRead.inWorkers++;
      outcomes[i] = await Promise.race([w.read(i, tasks[i], (p) => progress.update(i, p)), aborted]);
      if (outcomes[i].failed !== undefined) return;
    }
  };
  try {
    for (let k = 0; k < workers; k++) pool.push(new PartWorker(entry, setup));
    await Promise.all(pool.map(run));
    if (input.signal?.aborted) throw new AbortError();
    return outcomes;
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
}

/** One worker thread and the requests to it (see part-worker.ts). */
class PartWorker {
  private readonly w: Worker;
  private gone: string | undefined;
  private readonly waiting = new Map<number, (m: WorkerReply | { type: 'failed'; seq: number; message: string }) => void>();
  private readonly progress = new Map<number, (p: Progress) => void>();

  constructor(entry: WorkerEntry, setup: WorkerSetup) {
    this.w = new Worker(entry.script, {
      workerData: setup, eval: entry.eval,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB },
    });
    this.w.on('message', (m: WorkerReply) => {
      if (m.type === 'progress') { this.progress.get(m.seq)?.(m.progress); return; }
      const done = this.waiting.get(m.seq);
      this.waiting.delete(m.seq);
      done?.(m);
    });
    const fail = (why: string): void => {
      this.gone ??= why;
      for (const [seq, done] of this.waiting) done({ type: 'failed', seq, message: why });
      this.waiting.clear();
    };
    this.w.on('error', (e: Error) => fail(e.message));
    this.w.on('exit', () => fail('the worker stopped'));
  }

  read(seq: number, task: EvidenceTask, onProgress: (p: Progress) => void): Promise<Outcome> {
    this.progress.set(seq, onProgress);
    return this.ask({ type: 'read', seq, task }).then((m) => {
      this.progress.delete(seq);
      if (m.type !== 'read') return { summary: undefined as unknown as ReadSummary, diag: new Diagnostics(), failed: m.type === 'failed' ? m.message : 'no answer' };
      const diag = new Diagnostics();
      joinDiagnostics(diag, m.weirds, m.counts);
      return { summary: m.summary, diag, worker: this };
    });
  }

  /** The encoded state of a task this worker read (it lets go of it). */
  async fetch(seq: number): Promise<unknown> {
    const m = await this.ask({ type: 'send', seq });
    if (m.type !== 'state') throw new Error(m.type === 'failed' ? m.message : 'no answer');
    return m.state;
  }

  async end(): Promise<void> {
    this.gone ??= 'ended';
    await this.w.terminate();
  }

  private ask(req: WorkerRequest): Promise<WorkerReply> {
    if (this.gone !== undefined) return Promise.resolve({ type: 'failed', seq: req.seq, message: this.gone });
    return new Promise((resolve) => {
      this.waiting.set(req.seq, resolve);
      this.w.postMessage(req);
    });
  }
}

/** Progress per file, summed over its ranges when it is split. */
class FileProgress {
  private readonly done: number[];
  private readonly records: number[];

  constructor(private readonly tasks: EvidenceTask[], private readonly report?: (p: Progress, fileIndex: number) => void) {
    this.done = tasks.map(() => 0);
    this.records = tasks.map(() => 0);
  }

  update(i: number, p: Progress): void {
    if (!this.report) return;
    const t = this.tasks[i];
    // A range's reader counts the file header it was handed first: that is not progress in the file.
    this.done[i] = t.range ? Math.max(0, p.bytesDone - 24) : p.bytesDone;
    this.records[i] = p.records;
    let bytes = 0;
    let records = 0;
    let open = false;
    for (let k = 0; k < this.tasks.length; k++) {
      if (this.tasks[k].file !== t.file) continue;
      bytes += this.done[k];
      records += this.records[k];
      const whole = this.tasks[k].range ? this.tasks[k].range!.end - this.tasks[k].range!.offset : this.tasks[k].size;
      if (this.done[k] < whole) open = true;
    }
    this.report({ ...p, bytesDone: bytes, bytesTotal: t.size, records, stage: open ? 'decoding' : 'done' }, t.file);
  }
}
