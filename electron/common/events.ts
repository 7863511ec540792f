/**
 * The contract's events (main/serve -> renderer), kept free of zod so the
 * sandboxed preload can import the table without bundling the schemas.
 */
import type { AnalysisResult } from '../../analysis/pipeline';
import type { ResultError } from './result';
import type { StoreChange } from '../../store/pg/changes';

/** A change committed to a shared store by any app of the desk (a colleague's import, claim, reply, close…): lists and the open case refresh. */
export type StoreChanged = StoreChange;

/** Progress of one file of a job; throttled to about five a second per job. */
export interface JobProgress {
  jobId: string;
  /** 0-based index into the job's evidence list, and its length. */
  fileIndex: number;
  fileCount: number;
  file: string;
  bytesDone: number;
  bytesTotal?: number;
  records: number;
  /** The reader's stage: "decoding" or "reading" while it goes, "done" at the end of the file. */
  stage: string;
}

/** Where main saved a finished analysis in the case store. */
export interface CaseSaved {
  caseId: number;
  /** The same complaint was already stored and the operator chose to join it: the run was added to that case. */
  existed: boolean;
  /** The earlier case with the same complaint that this new case repeats (it is left unchanged). */
  repeatOf?: number | null;
  /** False when the run was kept but not made the case's verdict (weaker evidence than the accepted run). */
  accepted?: boolean;
  runId: number;
  /** The generated draft's version row. */
  draftId?: number;
}

export interface JobResult {
  jobId: string;
  result: AnalysisResult;
  /** Set when the result was saved as a case (every analysis started with analysis:start is). */
  saved?: CaseSaved;
  /** Set when saving failed (read-only or full disk...): the result is still good, the work stays on screen. */
  saveError?: ResultError;
}

export interface JobError {
  jobId: string;
  /** `cancelled` after analysis:cancel, `engine_crashed` when the engine died, else `engine_error`. */
  error: ResultError;
}

export interface EngineRestarted {
  /** Why the engine went away ("exit code 1", "signal SIGKILL"). */
  reason: string;
  /** Jobs that were running and have failed with `engine_crashed` (each also got onJobError). */
  failedJobs: string[];
  /** Restarts so far in this session. */
  restarts: number;
}

/** Application menu items the renderer acts on (Electron only). */
export interface MenuCommand {
  command: 'newCase' | 'openComplaint' | 'openEvidence' | 'saveDraft' | 'settings';
}

/** Mail was taken into the store (an import, or an IMAP fetch by the timer): the queue changed. */
export interface QueueChanged {
  source: 'import' | 'imap';
  messages: number;
  created: number;
}

function event<Args extends unknown[]>(): { args?: Args } {
  return {};
}

export const events = {
  onProgress: event<[progress: JobProgress]>(),
  onResult: event<[result: JobResult]>(),
  onJobError: event<[error: JobError]>(),
  onEngineRestarted: event<[info: EngineRestarted]>(),
  onMenuCommand: event<[command: MenuCommand]>(),
  onQueueChanged: event<[change: QueueChanged]>(),
  onStoreChanged: event<[change: StoreChanged]>(),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventArgs<E extends EventName> = NonNullable<Events[E]['args']>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(s: unknown): s is EventName {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(events, s);
}

/** Electron: events travel from main to the preload on this IPC channel as an `EventMessage`. */
export const IPC_EVENT_CHANNEL = 'abuse-desk:event';

/** An event as it travels (Electron IPC and Server-Sent Events). */
export type EventMessage = { [E in EventName]: { event: E; args: EventArgs<E> } }[EventName];
