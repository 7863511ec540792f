import { ApiError, call } from './call';
import type {
  AbuseDeskApi, AnalysisResult, CaseSaved, DraftVersion, EvidenceDescription, EvidenceRef, JobProgress, ResultError, Unsubscribe,
} from './types';

export type Phase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/** An error as the views show it. */
export interface CaseError {
  code: string;
  message: string;
}

export interface EvidenceEntry {
  /** Stable key for the list while uploads are still in flight. */
  key: string;
  name: string;
  size: number;
  ref?: EvidenceRef;
  info?: EvidenceDescription;
  status: 'uploading' | 'describing' | 'ready' | 'error';
  /** Upload progress 0..1 (browser). */
  uploaded?: number;
  error?: string;
  /** The operator wants a file the engine cannot read analysed anyway (unreadable files are left out otherwise). */
  insist?: boolean;
}

/** Whether a run reads this file: uploaded, and not flagged unreadable (unless insisted on). */
export function usableEvidence(e: EvidenceEntry): boolean {
  return e.ref !== undefined && e.status !== 'uploading' && (e.status !== 'error' || e.insist === true);
}

let keySeq = 0;
const nextKey = () => `ev${++keySeq}`;

function toCaseError(e: unknown): CaseError {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  if (e && typeof e === 'object' && 'message' in e) return { code: 'internal', message: String((e as { message: unknown }).message) };
  return { code: 'internal', message: String(e) };
}

/** Notes as one editable text, one bullet a line. */
export function notesText(notes: readonly string[]): string {
  return notes.map((n) => `• ${n}`).join('\n');
}

/**
 * One abuse case in the window: the complaint, the evidence, the running job,
 * the result and the edited draft. Views read and write it; it alone talks to
 * the API about analysis jobs.
 */
export class CaseState {
  complaintText = $state('');
  /** The .eml or text file the complaint was read from, when not pasted. */
  complaintFile = $state<string | null>(null);
  /** The stored case the operator chose to analyse (from the queue): the run joins it while it is open. */
  joinCase = $state<number | null>(null);
  evidence = $state<EvidenceEntry[]>([]);

  phase = $state<Phase>('idle');
  jobId = $state<string | null>(null);
  /** Latest progress per evidence file, by file index. */
  progress = $state<Record<number, JobProgress>>({});
  /** The stage after the last file ("analysing"), when reported. */
  stage = $state<string | null>(null);
  startedAt = $state<number | null>(null);
  finishedAt = $state<number | null>(null);
  result = $state<AnalysisResult | null>(null);
  error = $state<CaseError | null>(null);
  /** Set when the engine restarted (a running job then fails with engine_crashed). */
  engineRestarted = $state<string | null>(null);
  /** The evidence names of the running or last job, in order. */
  jobFiles = $state<Array<{ name: string; size: number }>>([]);

  subject = $state('');
  body = $state('');
  notes = $state('');

  /** The stored case this analysis was saved as (main saves every analysis). */
  saved = $state<CaseSaved | null>(null);
  /** Why the analysis could not be saved (read-only folder, full disk): the work stays here. */
  saveError = $state<CaseError | null>(null);
  /** The stored draft version the editor last matched (the generated one at first). */
  storedDraft = $state<{ id: number; version?: number; subject: string; body: string; sentAt: number | null } | null>(null);
  /** A draft save or mark-sent call in flight. */
  storing = $state(false);
  /** After copy, mailto or save-as: how the reply left, to ask whether it was sent. */
  sendPrompt = $state<'copied' | 'mailto' | 'saved' | null>(null);

  /** Why Analyse cannot run now, in words for the operator (null: it can), so a greyed button is never left unexplained. */
  readonly analyseBlocked = $derived<string | null>(
    this.phase === 'running' ? 'An analysis is running.'
      : this.complaintText.trim().length === 0 ? 'Paste or open a complaint first: Analyse needs its text.'
        : this.evidence.some((e) => e.status === 'uploading') ? 'Evidence is still uploading.'
          : null,
  );
  readonly canAnalyse = $derived(this.analyseBlocked === null);
  readonly draftEdited = $derived(
    this.result !== null && (this.subject !== this.result.draft.subject || this.body !== this.result.draft.body),
  );
  /** Edits not yet stored as a draft version. */
  readonly draftUnsaved = $derived(
    this.result !== null && (this.storedDraft === null || this.subject !== this.storedDraft.subject || this.body !== this.storedDraft.body),
  );

  private readonly unsubscribe: Unsubscribe[] = [];
  /** Events that arrived while analysis:start had not yet answered with the job id. */
  private early: Array<{ jobId: string; apply: () => void }> = [];
  /** Called when a job ends (result, failure or cancel): the app moves to the right view. */
  onFinished: ((phase: Phase) => void) | undefined;

  constructor(private readonly api: AbuseDeskApi) {
    this.unsubscribe.push(
      api.onProgress((p) => this.route(p.jobId, () => this.applyProgress(p))),
      api.onResult(({ jobId, result, saved, saveError }) => this.route(jobId, () => this.applyResult(result, { saved, saveError }))),
      api.onJobError(({ jobId, error }) => this.route(jobId, () => this.applyJobError(error))),
      api.onEngineRestarted((info) => {
        this.engineRestarted = info.reason;
        if (this.jobId && info.failedJobs.includes(this.jobId)) {
          this.applyJobError({ code: 'engine_crashed', message: `The analysis engine stopped (${info.reason}) and was restarted.` });
        }
      }),
    );
  }

  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** Applies an event of our job; keeps it when the job id is not known yet. */
  private route(jobId: string, apply: () => void): void {
    if (this.phase !== 'running') return;
    if (this.jobId === null) {
      this.early.push({ jobId, apply });
      return;
    }
    if (jobId === this.jobId) apply();
  }

  private applyProgress(p: JobProgress): void {
    if (p.fileIndex >= 0 && p.fileIndex < p.fileCount) this.progress[p.fileIndex] = p;
    if (p.fileIndex >= p.fileCount || p.stage === 'analysing') this.stage = p.stage;
  }

  private applyJobError(error: ResultError | CaseError): void {
    if (this.phase !== 'running') return;
    this.finishedAt = Date.now();
    if (error.code === 'cancelled') {
      this.phase = 'cancelled';
    } else {
      this.phase = 'failed';
      this.error = { code: error.code, message: error.message };
    }
    this.onFinished?.(this.phase);
  }

  applyResult(result: AnalysisResult, store: { saved?: CaseSaved; saveError?: ResultError } = {}): void {
    if (this.phase !== 'running') return;
    this.result = result;
    this.subject = result.draft.subject;
    this.body = result.draft.body;
    this.notes = notesText(result.notes);
    this.saved = store.saved ?? null;
    this.saveError = store.saveError ? { code: store.saveError.code, message: store.saveError.message } : null;
    this.storedDraft = store.saved?.draftId !== undefined
      ? { id: store.saved.draftId, subject: result.draft.subject, body: result.draft.body, sentAt: null }
      : null;
    this.phase = 'done';
    this.finishedAt = Date.now();
    this.error = null;
    this.onFinished?.('done');
  }

  /** Reads a dropped or chosen .eml / .txt complaint into the paste area. */
  async loadComplaintFile(file: File): Promise<void> {
    this.complaintText = await file.text();
    this.complaintFile = file.name;
  }

  /** Electron: the native dialog for a complaint file. */
  async openComplaintDialog(): Promise<void> {
    const r = await call(this.api, 'dialog:openComplaint', {});
    if (!r) return;
    this.complaintText = r.text;
    this.complaintFile = r.name;
  }

  /** Electron: the native open dialog for evidence. */
  async attachPicked(): Promise<void> {
    const { files } = await call(this.api, 'dialog:openEvidence', {});
    for (const f of files) this.addRef(f);
  }

  /** Files from a file input or a drop: uploaded (browser) or resolved to paths (Electron). */
  async attachFiles(files: File[]): Promise<void> {
    await Promise.all(files.map(async (file) => {
      const key = nextKey();
      this.evidence.push({ key, name: file.name, size: file.size, status: 'uploading', uploaded: 0 });
      const find = () => this.evidence.find((x) => x.key === key);
      let r;
      try {
        r = await this.api.evidenceFromFile(file, (done, total) => {
          const e = find();
          if (e) e.uploaded = total ? done / total : 0;
        });
      } catch (err) {
        r = { ok: false as const, error: toCaseError(err) };
      }
      const e = find();
      if (!e) return;
      if (!r.ok) {
        e.status = 'error';
        e.error = r.error.message;
        return;
      }
      if (this.evidence.some((x) => x !== e && x.ref?.ref === r.value.ref)) {
        this.removeEvidence(key);
        return;
      }
      e.ref = r.value;
      e.name = r.value.name;
      e.size = r.value.size;
      e.status = 'describing';
      await this.describe(key);
    }));
  }

  private addRef(ref: EvidenceRef): void {
    if (this.evidence.some((e) => e.ref?.ref === ref.ref)) return;
    const key = nextKey();
    this.evidence.push({ key, name: ref.name, size: ref.size, ref, status: 'describing' });
    void this.describe(key);
  }

  private async describe(key: string): Promise<void> {
    const find = () => this.evidence.find((e) => e.key === key);
    const ref = find()?.ref;
    if (!ref) return;
    try {
      const info = await call(this.api, 'evidence:describe', { path: ref.ref });
      const e = find();
      if (!e) return;
      e.info = info;
      e.status = info.format === 'unknown' || info.error ? 'error' : 'ready';
      if (info.error) e.error = info.error;
      else if (info.format === 'unknown') e.error = 'Not a capture or log format the engine knows.';
    } catch (err) {
      const e = find();
      if (!e) return;
      e.status = 'error';
      e.error = toCaseError(err).message;
    }
  }

  /** Analyse a file flagged as unreadable anyway (or leave it out again). */
  setInsist(key: string, insist: boolean): void {
    const e = this.evidence.find((x) => x.key === key);
    if (e) e.insist = insist;
  }

  removeEvidence(key: string): void {
    this.evidence = this.evidence.filter((e) => e.key !== key);
  }

  async start(ourNets: string[]): Promise<boolean> {
    if (!this.canAnalyse) return false;
    // Files flagged unreadable before the run stay out unless the operator insisted.
    const usable = this.evidence.filter(usableEvidence);
    this.phase = 'running';
    this.progress = {};
    this.stage = null;
    this.result = null;
    this.error = null;
    this.saved = null;
    this.saveError = null;
    this.storedDraft = null;
    this.sendPrompt = null;
    this.engineRestarted = null;
    this.startedAt = Date.now();
    this.finishedAt = null;
    this.jobId = null;
    this.jobFiles = usable.map((e) => ({ name: e.name, size: e.size }));
    this.early = [];
    try {
      const { jobId } = await call(this.api, 'analysis:start', {
        complaintText: this.complaintText,
        ...(this.complaintFile ? { complaintName: this.complaintFile } : {}),
        evidence: usable.map((e) => e.ref!.ref),
        ourNets,
        ...(this.joinCase !== null ? { joinCase: this.joinCase } : {}),
      });
      this.jobId = jobId;
      // A fast engine may have reported before analysis:start answered.
      const early = this.early.filter((e) => e.jobId === jobId);
      this.early = [];
      for (const e of early) if (this.phase === 'running') e.apply();
      return true;
    } catch (err) {
      this.phase = 'failed';
      this.error = toCaseError(err);
      this.finishedAt = Date.now();
      this.onFinished?.('failed');
      return false;
    }
  }

  async cancel(): Promise<void> {
    if (this.phase !== 'running' || !this.jobId) return;
    const id = this.jobId;
    try {
      await call(this.api, 'analysis:cancel', { jobId: id });
    } catch {
      // The job may just have ended; the view follows whatever event comes.
    }
    // The engine confirms with a 'cancelled' job error; the view need not wait for it.
    if (this.phase === 'running' && this.jobId === id) this.applyJobError({ code: 'cancelled', message: 'Cancelled' });
  }

  /** Back to the engine's draft, dropping the operator's edits. */
  resetDraft(): void {
    if (!this.result) return;
    this.subject = this.result.draft.subject;
    this.body = this.result.draft.body;
  }

  /**
   * Store the edited draft as a new version of the saved case (no call when
   * nothing changed since the last stored version). Throws ApiError; the text
   * stays in the editor whatever happens.
   */
  async storeDraft(): Promise<DraftVersion | null> {
    if (!this.saved || !this.result) return null;
    if (!this.draftUnsaved && this.storedDraft) return null;
    const subject = this.subject;
    const body = this.body;
    this.storing = true;
    try {
      const v = await call(this.api, 'cases:saveDraft', { id: this.saved.caseId, subject, body });
      this.storedDraft = { id: v.id, version: v.version, subject, body, sentAt: v.sentAt };
      return v;
    } finally {
      this.storing = false;
    }
  }

  /** Mark the stored version that matches the editor as sent (storing the edits first). */
  async markSent(): Promise<DraftVersion | null> {
    if (!this.saved) return null;
    await this.storeDraft();
    if (!this.storedDraft) return null;
    this.storing = true;
    try {
      const v = await call(this.api, 'cases:markSent', { id: this.saved.caseId, draftId: this.storedDraft.id });
      this.storedDraft = { ...this.storedDraft, sentAt: v.sentAt };
      return v;
    } finally {
      this.storing = false;
    }
  }

  /** Start over with an empty case. */
  clear(): void {
    this.sendPrompt = null;
    this.saved = null;
    this.saveError = null;
    this.storedDraft = null;
    this.complaintText = '';
    this.complaintFile = null;
    this.joinCase = null;
    this.evidence = [];
    this.phase = 'idle';
    this.jobId = null;
    this.progress = {};
    this.stage = null;
    this.result = null;
    this.error = null;
    this.jobFiles = [];
    this.subject = '';
    this.body = '';
    this.notes = '';
  }
}
