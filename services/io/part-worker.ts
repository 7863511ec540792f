/**
 * Worker thread entry: reads evidence tasks (a file, or a range of a split
 * pcap) into a CaseAnalysis of its own per task, answers with the reader's
 * summary and warnings, and holds the analysis until the main thread asks
 * for it: then sends what the detectors and the overview accumulated,
 * encoded for the structured clone (analysis/util/state-codec.ts), and drops
 * it. The main thread asks in file order, one part at a time, so at most one
 * encoded state is in flight (parallel-read.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Complaint } from '../../analysis/complaint/complaint';
import type { Weird } from '../../analysis/events/diagnostics';
import type { Progress, ReadSummary, TimeReference } from '../../analysis/ingest/reader';
import { CaseAnalysis, type AnalysisOptions } from '../../analysis/pipeline';
import { readTask, type EvidenceTask } from './evidence-task';

export interface WorkerSetup { complaint: Complaint; options: AnalysisOptions; reference?: TimeReference }
export type WorkerRequest = { type: 'read'; seq: number; task: EvidenceTask } | { type: 'send'; seq: number };
export type WorkerReply =
  | { type: 'progress'; seq: number; progress: Progress }
  | { type: 'read'; seq: number; summary: ReadSummary; weirds: Weird[]; counts: Array<[string, number]> }
  | { type: 'state'; seq: number; state: unknown }
  | { type: 'failed'; seq: number; message: string };

const setup = workerData as WorkerSetup;
const port = parentPort!;
const held = new Map<number, CaseAnalysis>();

port.on('message', (m: WorkerRequest) => {
  if (m.type === 'read') void read(m.seq, m.task);
  else send(m.seq);
});

async function read(seq: number, task: EvidenceTask): Promise<void> {
  try {
    const analysis = new CaseAnalysis(setup.complaint, setup.options);
    const { summary, diag } = await readTask(task, {
      onEvent: analysis.sink,
      caseAddresses: analysis.addresses,
      reference: setup.reference,
      onProgress: (progress) => port.postMessage({ type: 'progress', seq, progress } satisfies WorkerReply),
    });
    held.set(seq, analysis);
    port.postMessage({ type: 'read', seq, summary, weirds: diag.weirds, counts: [...diag.counts] } satisfies WorkerReply);
  } catch (e) {
    port.postMessage({ type: 'failed', seq, message: (e as Error)?.message ?? String(e) } satisfies WorkerReply);
  }
}

function send(seq: number): void {
  const analysis = held.get(seq);
  held.delete(seq);
  try {
    if (!analysis) throw new Error(`no part ${seq} held`);
    port.postMessage({ type: 'state', seq, state: analysis.encodeState() } satisfies WorkerReply);
  } catch (e) {
    port.postMessage({ type: 'failed', seq, message: (e as Error)?.message ?? String(e) } satisfies WorkerReply);
  }
}
