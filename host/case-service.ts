/**
 * The case store as the app uses it, shared by Electron main and `serve`
 * (no Electron import):
 *
 * - `StoreHost` opens the store in the data folder in the background and says
 *   why when it cannot (a damaged database, a read-only folder): the app still
 *   analyses, and the case channels answer with that reason.
 * - `CaseRecorder` sits between the engine host and the window: every
 *   analysis started with `analysis:start` is saved as a case when its result
 *   arrives (complaint, evidence copied into the vault, the run, the generated
 *   draft), and the result goes on to the window with the case id, or with
 *   the reason it could not be saved. Re-analyses run through it too.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Complaint } from '../analysis/complaint/complaint';
import type { AnalysisResult } from '../analysis/pipeline';
import type { CaseStore } from '../store/case-store';
import type { AnalyzeFn } from '../store/types';
import type { EngineHost } from './engine-host';
import type { TemplateService } from './template-service';
import type { EventMessage, JobResult } from '../electron/common/events';
import { CodedError, toResultError, type ResultError } from '../electron/common/result';

export type StoreOpener = (dataDir: string) => Promise<CaseStore>;

/** Opens the store once, in the background; every user waits for that. */
export class StoreHost {
  private store: CaseStore | undefined;
  private failure: ResultError | undefined;
  readonly ready: Promise<void>;

  constructor(readonly dataDir: string, open: StoreOpener, private readonly log: (line: string) => void = () => undefined) {
    this.ready = open(dataDir).then(
      (s) => {
        this.store = s;
        if (s.readOnlyReason) log(`case store: ${s.readOnlyReason}`);
      },
      (e: unknown) => {
        this.failure = toResultError(e);
        log(`case store: cannot open ${dataDir}: ${this.failure.message}`);
      },
    );
  }

  /** The store, or a CodedError saying why there is none. */
  async get(): Promise<CaseStore> {
    await this.ready;
    if (this.store) return this.store;
    const f = this.failure ?? { code: 'store_unavailable', message: 'the case store is not open' };
    throw new CodedError(f.code === 'internal' || f.code === 'io_error' || f.code === 'not_found' ? 'store_unavailable' : f.code,
      `The case history is not available: ${f.message}`);
  }

  /** For store:info. */
  async info(): Promise<{ available: boolean; dataDir: string; error?: ResultError }> {
    await this.ready;
    if (this.store?.readOnlyReason) return { available: true, dataDir: this.dataDir, error: { code: 'read_only', message: this.store.readOnlyReason } };
    if (this.store) return { available: true, dataDir: this.dataDir };
    return { available: false, dataDir: this.dataDir, error: this.failure };
  }

  async close(): Promise<void> {
    await this.ready;
    await this.store?.close().catch(() => undefined);
    this.store = undefined;
  }
}

/** What `analysis:start` was asked, kept until the job's result arrives. */
export interface JobContext {
  complaintText: string;
  complaintName?: string;
  evidence: Array<{ path: string; name: string }>;
  ourNets: string[];
  mask?: boolean;
  /** The open case the operator confirmed a repeat complaint may join. */
  joinCase?: number;
  startedAt: number;
}

type Emit = (msg: EventMessage) => void;

/** How long a re-analysis may take before the caller gives up waiting (the engine goes on). */
const REANALYZE_TIMEOUT_MS = 30 * 60_000;

export class CaseRecorder {
  private readonly jobs = new Map<string, JobContext>();
  private readonly waiters = new Map<string, { resolve: (r: AnalysisResult) => void; reject: (e: Error) => void }>();
  private engine: EngineHost | undefined;
  /** The operator's reply templates: a saved case's draft follows the one stored for its report class and verdict. */
  templates: Pick<TemplateService, 'draftFor'> | undefined;

  constructor(
    private readonly stores: StoreHost,
    private readonly forward: Emit,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** The engine host is built with `emit` as its event sink, so it is attached afterwards. */
  attach(engine: EngineHost): void {
    this.engine = engine;
  }

  /** The engine host's `emit`: results of remembered jobs are saved before they go on. */
  readonly emit: Emit = (msg) => {
    if (msg.event === 'onResult' || msg.event === 'onJobError') {
      const jobId = msg.args[0].jobId;
      const waiter = this.waiters.get(jobId);
      if (waiter) {
        this.waiters.delete(jobId);
        if (msg.event === 'onResult') waiter.resolve(msg.args[0].result);
        else waiter.reject(new CodedError(msg.args[0].error.code, msg.args[0].error.message));
        return;
      }
      const ctx = this.jobs.get(jobId);
      this.jobs.delete(jobId);
      if (ctx && msg.event === 'onResult') {
        void this.save(ctx, msg.args[0]).then((r) => this.forward({ event: 'onResult', args: [r] }));
        return;
      }
    }
    this.forward(msg);
  };

  /** Called by `analysis:start` right after the engine took the job. */
  remember(jobId: string, ctx: JobContext): void {
    this.jobs.set(jobId, ctx);
  }

  private async save(ctx: JobContext, r: JobResult): Promise<JobResult> {
    try {
      const store = await this.stores.get();
      const complaint: Complaint = await this.engine!.parseComplaint({
        complaintText: ctx.complaintText, complaintName: ctx.complaintName, ourNets: ctx.ourNets,
      });
      const draftFor = await this.templates?.draftFor(complaint, r.result, ctx.mask);
      const saved = await store.saveAnalysis({
        complaintRaw: ctx.complaintText,
        complaintName: ctx.complaintName ?? 'pasted',
        complaint,
        evidence: ctx.evidence.map((e) => ({ path: e.path, originalName: e.name })),
        result: r.result,
        durationMs: Date.now() - ctx.startedAt,
        options: { ourNets: ctx.ourNets, ...(ctx.mask !== undefined ? { mask: ctx.mask } : {}) },
        // The window never joins an earlier case unasked: a repeat becomes a new case linked to it.
        joinOpen: ctx.joinCase !== undefined ? { caseId: ctx.joinCase } : 'never',
        ...(draftFor ? { draftFor } : {}),
      });
      return {
        ...r,
        // The window shows the draft as saved: the stored template's when there is one.
        ...(draftFor ? { result: { ...r.result, draft: { subject: saved.draft.subject, body: saved.draft.body } } } : {}),
        saved: { caseId: saved.case.id, existed: saved.existed, repeatOf: saved.repeatOf, accepted: saved.accepted, runId: saved.run.id, draftId: saved.draft.id },
      };
    } catch (e) {
      const error = toResultError(e);
      this.log(`case store: the analysis of job ${r.jobId} was not saved: ${error.message}`);
      return { ...r, saveError: error };
    }
  }

  /** The store's AnalyzeFn for `cases:reanalyze`: the stored complaint and vault files through the engine. */
  analyzeFn(defaultNets: () => string[]): AnalyzeFn {
    return async (input) => {
      // The vault names files by SHA-256; links with the original names keep the reply's quotes readable.
      const dir = await mkdtemp(join(tmpdir(), 'abuse-desk-reanalyse-'));
      try {
        const paths: string[] = [];
        for (const [i, e] of input.evidence.entries()) {
          const link = join(dir, `${i}`, basename(e.originalName) || e.sha256);
          try {
            await mkdir(join(dir, `${i}`));
            await symlink(e.path, link);
            paths.push(link);
          } catch {
            paths.push(e.path);
          }
        }
        return await this.runInternal({
          complaintText: new TextDecoder('utf-8', { fatal: false }).decode(input.complaintRaw),
          complaintName: input.complaintName,
          evidence: paths,
          ourNets: input.options.ourNets ?? defaultNets(),
          mask: input.options.mask,
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
  }

  /** An analysis whose result comes back here instead of going to the window. */
  private runInternal(job: Parameters<EngineHost['startAnalysis']>[0]): Promise<AnalysisResult> {
    return new Promise<AnalysisResult>((resolve, reject) => {
      if (!this.engine) {
        reject(new CodedError('internal', 'no engine'));
        return;
      }
      const { jobId } = this.engine.startAnalysis(job);
      const timer = setTimeout(() => {
        this.waiters.delete(jobId);
        reject(new CodedError('internal', 'the re-analysis took too long'));
      }, REANALYZE_TIMEOUT_MS);
      this.waiters.set(jobId, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }
}
