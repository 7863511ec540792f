import { basename } from 'node:path';
import { Diagnostics } from '../../analysis/events/diagnostics';
import type { EventSink, Progress, ReadSummary, TimeReference } from '../../analysis/ingest/reader';
import { ingest } from '../../analysis/ingest/ingest';
import { rangeChunks, type PcapRange } from './pcap-split';
import { readEvidenceFile, type ReadFileResult } from './read-file';

/** One piece of reading: a whole evidence file, or a range of a classic pcap file split across threads. */
export interface EvidenceTask {
  /** Index of the file among the case's evidence. */
  file: number;
  path: string;
  size: number;
  range?: PcapRange;
}

export interface TaskOptions {
  onEvent: EventSink;
  /** The only addresses `onEvent` looks at (ReadContext.caseAddresses). */
  caseAddresses?: readonly string[];
  signal?: AbortSignal;
  reference?: TimeReference;
  onProgress?: (p: Progress) => void;
}

/** Read one task into the sink; the same in the main thread and in a worker. */
export async function readTask(task: EvidenceTask, opts: TaskOptions): Promise<ReadFileResult> {
  if (!task.range) return readEvidenceFile(task.path, opts);
  const diag = new Diagnostics();
  const file = basename(task.path);
  const ctx = { file, diag, size: task.size, signal: opts.signal, reference: opts.reference, onProgress: opts.onProgress, pcapPart: task.range, caseAddresses: opts.caseAddresses };
  try {
    return { summary: await ingest(rangeChunks(task.path, task.range, opts.signal), ctx, opts.onEvent), diag };
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const message = `read failed: ${(e as Error).message}`;
    diag.weird({ code: 'read_failed', file, message });
    return { diag, summary: { file, format: 'unknown', linkTypes: [], records: 0, skipped: 0, bytes: 0, timeInferred: false, error: message } };
  }
}

/** The summary of a file read in ranges, as one pass over it would have written it. */
export function joinSummaries(parts: ReadSummary[], size: number): ReadSummary {
  const out: ReadSummary = { ...parts[0], linkTypes: [...new Set(parts.flatMap((p) => p.linkTypes))], records: 0, skipped: 0, bytes: size };
  for (const p of parts) {
    out.records += p.records;
    out.skipped += p.skipped;
    if (p.firstTs !== undefined && (out.firstTs === undefined || p.firstTs < out.firstTs)) out.firstTs = p.firstTs;
    if (p.lastTs !== undefined && (out.lastTs === undefined || p.lastTs > out.lastTs)) out.lastTs = p.lastTs;
    out.timeInferred ||= p.timeInferred;
    if (p.error && !out.error) out.error = p.error;
  }
  return out;
}

/** Fold a later range's diagnostics into a file's, as if one reader had recorded them in order. */
export function joinDiagnostics(into: Diagnostics, weirds: Diagnostics['weirds'], counts: Iterable<[string, number]>): void {
  const shown = new Map<string, number>();
  for (const w of weirds) {
    into.weird(w);
    shown.set(w.code, (shown.get(w.code) ?? 0) + 1);
  }
  // Repeats past the per-code cap were only counted there: count them here too.
  for (const [code, n] of counts) {
    const extra = n - (shown.get(code) ?? 0);
    if (extra > 0) into.counts.set(code, (into.counts.get(code) ?? 0) + extra);
  }
}
