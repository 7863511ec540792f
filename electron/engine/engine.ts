/**
 * The engine's job loop, independent of how messages arrive: runs analyses
 * and descriptions with the CLI's own functions, streams throttled progress,
 * cancels through an AbortController per job.
 */
import { parseComplaint } from '../../analysis/complaint/parse-complaint';
import type { Complaint } from '../../analysis/complaint/complaint';
import { analyzeFiles } from '../../services/analyze-files';
import { inspectFile } from '../../services/inspect-file';
import { ENGINE_VERSION } from '../../analysis/pipeline';
import type { EvidenceDescription } from '../common/contract';
import { PROGRESS_INTERVAL_MS, isToEngine, type AnalyzeJob, type ComplaintJob, type DescribeJob, type EngineProgress, type FromEngine, type ToEngine } from '../common/engine-protocol';
import { toResultError, type ResultError } from '../common/result';
import { ProgressThrottle } from './throttle';

export interface EngineOptions {
  send: (msg: FromEngine) => void;
  /** Allow the test-only `crash` job. */
  testHooks?: boolean;
  /** Called for a `crash` job (the process adapter exits). */
  crash?: () => void;
}

export class Engine {
  private readonly running = new Map<number, AbortController>();

  constructor(private readonly opts: EngineOptions) {}

  get jobCount(): number {
    return this.running.size;
  }

  handle(raw: unknown): void {
    if (!isToEngine(raw)) return;
    const msg: ToEngine = raw;
    if (msg.type === 'cancel') {
      this.running.get(msg.seq)?.abort();
      return;
    }
    const { seq, job } = msg;
    if (this.running.has(seq)) {
      this.opts.send({ seq, type: 'error', error: { code: 'bad_request', message: `job ${seq} is already running` } });
      return;
    }
    if (job.kind === 'crash') {
      if (this.opts.testHooks) this.opts.crash?.();
      else this.opts.send({ seq, type: 'error', error: { code: 'bad_request', message: 'unknown job kind' } });
      return;
    }
    const ac = new AbortController();
    this.running.set(seq, ac);
    const work = job.kind === 'analyze' ? this.analyze(seq, job, ac.signal)
      : job.kind === 'describe' ? this.describe(job)
        : job.kind === 'complaint' ? this.complaint(job)
        : job.kind === 'version' ? Promise.resolve({ engineVersion: ENGINE_VERSION })
          : undefined;
    if (!work) {
      this.running.delete(seq);
      this.opts.send({ seq, type: 'error', error: { code: 'bad_request', message: 'unknown job kind' } });
      return;
    }
    work.then(
      (value) => {
        if (ac.signal.aborted) this.opts.send({ seq, type: 'error', error: { code: 'cancelled', message: 'cancelled' } });
        else this.opts.send({ seq, type: 'result', value });
      },
      (e: unknown) => {
        const thrown = toResultError(e);
        const error: ResultError = ac.signal.aborted ? { code: 'cancelled', message: 'cancelled' }
          : thrown.code === 'internal' ? { code: 'engine_error', message: thrown.message } : thrown;
        this.opts.send({ seq, type: 'error', error });
      },
    ).finally(() => this.running.delete(seq));
  }

  private async analyze(seq: number, job: AnalyzeJob, signal: AbortSignal) {
    const fileCount = job.evidence.length;
    const throttle = new ProgressThrottle<EngineProgress>(
      (progress) => this.opts.send({ seq, type: 'progress', progress }), PROGRESS_INTERVAL_MS, undefined, true);
    try {
      return await analyzeFiles({
        complaint: new TextEncoder().encode(job.complaintText),
        complaintName: job.complaintName ?? 'complaint.txt',
        evidence: job.evidence,
        ourNets: job.ourNets,
        mask: job.mask ?? true,
        signal,
        onProgress: (p, fileIndex) => throttle.push({ ...p, fileIndex, fileCount }),
      });
    } finally {
      throttle.stop();
    }
  }

  /** The complaint as understood, without attachment bytes (they stay in the raw complaint the store keeps). */
  private async complaint(job: ComplaintJob): Promise<Complaint> {
    const c = await parseComplaint(new TextEncoder().encode(job.complaintText), { fileName: job.complaintName, ourNets: job.ourNets });
    return { ...c, attachments: c.attachments.map((a) => ({ ...a, content: new Uint8Array(0) })) };
  }

  private async describe(job: DescribeJob): Promise<EvidenceDescription> {
    const r = await inspectFile(job.path);
    return {
      ref: job.ref,
      name: job.name,
      format: r.format,
      size: r.bytes,
      records: r.records,
      linkTypes: r.linkTypes,
      firstTs: r.firstTs,
      lastTs: r.lastTs,
      timeInferred: r.timeInferred,
      warnings: r.warnings,
      error: r.error,
    };
  }
}
