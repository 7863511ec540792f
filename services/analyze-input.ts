import type { ReplyAction } from '../analysis/draft/reply';
import type { Progress } from '../analysis/ingest/reader';
import type { Inventory } from '../analysis/triage/inventory';

/** One case to analyse from files on disk: what the CLI, the engine process and --save share. */
export interface AnalyzeInput {
  complaint: Uint8Array;
  complaintName: string;
  evidence: string[];
  ourNets: string[];
  /** Our hosts and their roles. */
  inventory?: Inventory;
  /** Zone of our logs' times written without one (default UTC). */
  evidenceZone?: string;
  mask?: boolean;
  /** What we did about the case, stated in the reply (default none). */
  actions?: ReplyAction[];
  signal?: AbortSignal;
  /** Reader progress of evidence file `fileIndex` (the engine process forwards it to the window). */
  onProgress?: (p: Progress, fileIndex: number) => void;
}
