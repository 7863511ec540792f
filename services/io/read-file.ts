import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Diagnostics } from '../../analysis/events/diagnostics';
import type { NetEvent } from '../../analysis/events/event';
import { readPcapFramedElsewhere } from '../../analysis/ingest/capture/capture-reader';
import { ingest, withStopError } from '../../analysis/ingest/ingest';
import type { Progress, ReadSummary, TimeReference } from '../../analysis/ingest/reader';
import { fileChunks } from './file-source';
import { frameThreadFor } from './frame-thread';
import { readNfcapd } from './nfcapd';

export interface ReadFileOptions {
  onEvent?: (ev: NetEvent) => void;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  reference?: TimeReference;
  diag?: Diagnostics;
  /** Name used in evidence references; defaults to the file's base name. */
  displayName?: string;
  /** The only addresses `onEvent` looks at (ReadContext.caseAddresses). */
  caseAddresses?: readonly string[];
}

export interface ReadFileResult {
  summary: ReadSummary;
  diag: Diagnostics;
}

/**
 * Stream one evidence file from disk through the analysis readers. File
 * system errors (missing, unreadable, a directory) become a diagnostic and
 * `summary.error`, like bad content: one bad file never stops the others.
 */
export async function readEvidenceFile(path: string, opts: ReadFileOptions = {}): Promise<ReadFileResult> {
  const diag = opts.diag ?? new Diagnostics();
  const file = opts.displayName ?? basename(path);
  let size: number | undefined;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    const message = `cannot read: ${(e as Error).message}`;
    diag.weird({ code: 'unreadable_file', file, message });
    return { diag, summary: { file, format: 'unknown', linkTypes: [], records: 0, skipped: 0, bytes: 0, timeInferred: false, error: message } };
  }
  const sink = opts.onEvent ?? (() => undefined);
  try {
    const ctx = { file, diag, size, signal: opts.signal, reference: opts.reference, onProgress: opts.onProgress, caseAddresses: opts.caseAddresses };
    // nfcapd's binary flow files are read by nfdump (a process, hence here and not in analysis/).
    const nfcapd = await readNfcapd(path, ctx, sink);
    if (nfcapd) return { summary: nfcapd, diag };
    // A large classic pcap is framed in a thread of its own (frame-thread.ts).
    const framer = await frameThreadFor(path, size, opts.caseAddresses);
    if (framer) {
      const before = diag.weirds.length;
      return { summary: withStopError(await readPcapFramedElsewhere(framer, ctx, sink), diag.weirds.slice(before)), diag };
    }
    return { summary: await ingest(fileChunks(path, opts.signal, size), ctx, sink), diag };
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const message = `read failed: ${(e as Error).message}`;
    diag.weird({ code: 'read_failed', file, message });
    return { diag, summary: { file, format: 'unknown', linkTypes: [], records: 0, skipped: 0, bytes: 0, timeInferred: false, error: message } };
  }
}
