import type { AnalysisResult } from '../../analysis/pipeline';

export type { AnalysisResult };
export type {
  AbuseDeskApi, AppInfo, EvidenceDescription, EvidenceRef, JobProgress, ResultError, Settings, Unsubscribe,
} from '../../electron/common/contract';

export type Verdict = AnalysisResult['verdict'];
export type ResultFinding = AnalysisResult['findings'][number];
export type ResultEvidenceRef = ResultFinding['evidence'][number];
export type DraftFormat = 'eml' | 'txt';
