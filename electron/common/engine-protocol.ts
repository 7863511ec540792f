/**
 * Messages between the engine host (main process or `serve`) and the engine
 * process: a tagged union keyed by `seq`, the sequence number of the `run`
 * message that started the job. Plain data only: it crosses
 * `utilityProcess`/`child_process` IPC by structured clone (or JSON).
 */
import type { Complaint } from '../../analysis/complaint/complaint';
import type { AnalysisResult } from '../../analysis/pipeline';
import type { EvidenceDescription } from './contract';
import type { ResultError } from './result';

export interface AnalyzeJob {
  kind: 'analyze';
  complaintText: string;
  complaintName?: string;
  /** Resolved file paths (upload tokens are resolved by the host). */
  evidence: string[];
  ourNets: string[];
  mask?: boolean;
}

export interface DescribeJob {
  kind: 'describe';
  path: string;
  /** What to call the file in the description (uploads keep their original name). */
  ref: string;
  name: string;
}

/** Parse a complaint only (main keeps the complaint as understood with a saved case; it does not load analysis/). */
export interface ComplaintJob {
  kind: 'complaint';
  complaintText: string;
  complaintName?: string;
  ourNets: string[];
}

/** A deliberate crash, for tests of the host's restart (honoured only when the engine is started with ABUSE_DESK_ENGINE_TEST=1). */
export interface CrashJob {
  kind: 'crash';
}

/** The engine's version (main does not load analysis/ to learn it). */
export interface VersionJob {
  kind: 'version';
}

export type EngineJob = AnalyzeJob | DescribeJob | ComplaintJob | VersionJob | CrashJob;

export type ToEngine =
  | { seq: number; type: 'run'; job: EngineJob }
  /** Cancel the job started by the `run` with this seq. */
  | { seq: number; type: 'cancel' };

export interface EngineProgress {
  fileIndex: number;
  fileCount: number;
  file: string;
  bytesDone: number;
  bytesTotal?: number;
  records: number;
  stage: string;
}

export type FromEngine =
  | { seq: number; type: 'progress'; progress: EngineProgress }
  | { seq: number; type: 'result'; value: AnalysisResult | EvidenceDescription | Complaint | { engineVersion: string } }
  | { seq: number; type: 'error'; error: ResultError };

export function isFromEngine(m: unknown): m is FromEngine {
  if (!m || typeof m !== 'object') return false;
  const x = m as { seq?: unknown; type?: unknown };
  return typeof x.seq === 'number' && (x.type === 'progress' || x.type === 'result' || x.type === 'error');
}

export function isToEngine(m: unknown): m is ToEngine {
  if (!m || typeof m !== 'object') return false;
  const x = m as { seq?: unknown; type?: unknown; job?: { kind?: unknown } };
  if (typeof x.seq !== 'number') return false;
  if (x.type === 'cancel') return true;
  return x.type === 'run' && !!x.job && typeof x.job.kind === 'string';
}

/**
 * Minimum interval between progress messages of one job: about 5 a second,
 * a little faster on paper so that a busy machine's late timers still give
 * the window at least 4.
 */
export const PROGRESS_INTERVAL_MS = 180;
