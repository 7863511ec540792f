import type { AnalysisResult } from '../../analysis/pipeline';
import { CaseStore } from '../../store/case-store';
import { StoreError, toStoreError, type StoreErrorCode } from '../../store/errors';
import type { AnalyzeInput } from '../../services/analyze-input';
import { parseComplaint } from '../../analysis/complaint/parse-complaint';

export type SaveOutcome =
  | { ok: true; caseId: number; existed: boolean; dataDir: string }
  | { ok: false; error: { code: StoreErrorCode; message: string } };

/**
 * `analyze --save`: store complaint, evidence, the run and the generated draft in one go, in the store at
 * `dataDir` (a folder, or the desk's postgres:// database) under `operator`. Never throws.
 */
export async function saveAnalysedCase(dataDir: string, input: AnalyzeInput, result: AnalysisResult, durationMs: number, operator?: string): Promise<SaveOutcome> {
  let store: CaseStore | undefined;
  try {
    store = await CaseStore.open(dataDir, { operator });
    // The complaint as understood, with its attachments' names and the full text (the result carries neither).
    const complaint = await parseComplaint(input.complaint, { fileName: input.complaintName, ourNets: input.ourNets });
    const saved = await store.saveAnalysis({
      complaintRaw: input.complaint,
      complaintName: input.complaintName,
      complaint: { ...complaint, times: result.complaint.times, dateMs: result.complaint.dateMs ?? complaint.dateMs },
      evidence: input.evidence,
      result,
      durationMs,
      options: { ourNets: input.ourNets, evidenceZone: input.evidenceZone, mask: input.mask },
    });
    return { ok: true, caseId: saved.case.id, existed: saved.existed, dataDir: store.dataDir };
  } catch (e) {
    const err = e instanceof StoreError ? e : toStoreError(e, dataDir);
    return { ok: false, error: err.toJSON() };
  } finally {
    await store?.close().catch(() => undefined);
  }
}
