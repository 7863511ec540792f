import { readComplaint } from '../analysis/complaint/parse-complaint';
import type { Complaint } from '../analysis/complaint/complaint';
import { Diagnostics } from '../analysis/events/diagnostics';
import { ingest } from '../analysis/ingest/ingest';
import { CaseAnalysis, type AnalysisResult } from '../analysis/pipeline';
import type { AnalyzeInput } from './analyze-input';
import { coolFrameThread, warmFrameThread } from './io/frame-thread';
import { keepHeapTight } from './io/heap-policy';
import { parallelDefaults, readEvidence, type ParallelOptions } from './io/parallel-read';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The whole analysis of one case from files on disk: shared by the CLI and the engine process. */
export async function analyzeFiles(input: AnalyzeInput, parallel?: ParallelOptions): Promise<AnalysisResult> {
  keepHeapTight();
  // A large capture's framing thread starts while the complaint is read (io/frame-thread.ts).
  void warmFrameThread(input.evidence, input.complaint).catch(() => undefined);
  try {
    return await analyzeCase(input, parallel);
  } finally {
    coolFrameThread();
  }
}

async function analyzeCase(input: AnalyzeInput, parallel?: ParallelOptions): Promise<AnalysisResult> {
  const reading = await readComplaint(input.complaint, { fileName: input.complaintName, ourNets: input.ourNets });
  const { complaint } = reading;
  const options = { ourNets: input.ourNets, maskThirdParties: input.mask, inventory: input.inventory, actions: input.actions };
  // Our logs' year-less or time-only stamps (syslog, ra) are placed near the complaint's own times:
  // the first time it gives, else its Date:, else now. Their zone is ours (UTC unless told).
  const firstTime = complaint.times.find((t) => Number.isFinite(t.ts));
  const reference = { nearMs: firstTime ? Math.round(firstTime.ts / 1000) : complaint.dateMs ?? Date.now(), zone: input.evidenceZone ?? 'UTC' };
  // Large captures and several files use the other cores (io/parallel-read.ts); the result is that of one pass.
  const analysis = await readEvidence(
    { paths: input.evidence, signal: input.signal, reference, onProgress: input.onProgress },
    { complaint, options, reference }, () => new CaseAnalysis(complaint, options), parallel ?? parallelDefaults(),
  );
  // Evidence attached to the complaint mail is read like any other file.
  for (const att of complaint.attachments) {
    const diag = new Diagnostics();
    const summary = await ingest(once(att.content), { file: att.filename, diag, size: att.content.length, reference, signal: input.signal, caseAddresses: analysis.addresses }, analysis.sink);
    if (summary.format !== 'unknown') analysis.addSummary(summary, diag.messages());
  }
  // A complaint without a Date: header has no year for "Feb  1 23:00:01": the evidence's own time is the better reference.
  const span = analysis.evidenceSpan();
  if (complaint.dateMs === undefined && span.first !== undefined) {
    const nowMs = Math.round((span.first + (span.last ?? span.first)) / 2000);
    const reread: Complaint = await reading.again({ nowMs, nowLabel: "our evidence's time span" });
    analysis.setComplaint(reread);
  }
  return analysis.finish();
}
