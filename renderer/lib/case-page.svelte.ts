import { call } from './call';
import type { AbuseDeskApi, CaseDetail, CaseStatus, CustodyState, DraftVersion, HostHistory, RelatedCase } from './types';

export type CaseTab = 'timeline' | 'runs' | 'evidence' | 'drafts' | 'notes' | 'related' | 'complaint';

export const CASE_TABS: Array<{ id: CaseTab; label: string }> = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'runs', label: 'Analysis runs' },
  { id: 'evidence', label: 'Evidence' },
  { id: 'drafts', label: 'Drafts' },
  { id: 'notes', label: 'Notes' },
  { id: 'related', label: 'Related' },
  { id: 'complaint', label: 'Complaint' },
];

/** Plain words for the audit trail's action ids. */
export const AUDIT_LABEL: Record<string, string> = {
  created: 'Case created',
  duplicate_submitted: 'Submitted again',
  evidence_attached: 'Evidence attached',
  evidence_removed: 'Evidence removed',
  evidence_excluded: 'Evidence left out',
  evidence_included: 'Evidence read again',
  evidence_restored: 'Evidence attached again',
  run_accepted: 'Run accepted',
  run_not_accepted: 'Run kept aside',
  repeat_of: 'Repeat of an earlier case',
  analysed: 'Analysed',
  reanalysed: 'Analysed again',
  draft_saved: 'Draft saved',
  draft_sent: 'Reply sent',
  reply_sent: 'Reply sent by mail',
  claimed: 'Claimed',
  claim_taken_over: 'Claim taken over',
  claim_released: 'Claim released',
  status_changed: 'Status changed',
  tag_added: 'Tag added',
  tag_removed: 'Tag removed',
  note_added: 'Note added',
  custody_verified: 'Custody verified',
  custody_mismatch: 'Custody MISMATCH',
  exported: 'Exported',
  imported: 'Imported',
};

/** What the custody check of an evidence file found, in words (loud when it failed). */
export const CUSTODY_LABEL: Record<CustodyState, string> = {
  verified: 'SHA-256 verified',
  unchecked: 'present, size as recorded',
  mismatch: 'SHA-256 MISMATCH',
  missing: 'FILE MISSING',
};

/** The error of a failed call, as a view shows it. */
export interface CallError {
  code: string;
  message: string;
}

function asCallError(e: unknown): CallError {
  const err = e as { code?: string; message?: string };
  return { code: err?.code ?? 'internal', message: err?.message ?? String(e) };
}

/**
 * One stored case on the Case page: the detail, its related cases, and the
 * operator's unsaved input (a note being typed, a draft being edited), which
 * stays here when a save fails.
 */
export class CasePageState {
  id = $state<number | null>(null);
  detail = $state<CaseDetail | null>(null);
  related = $state<RelatedCase[] | null>(null);
  loading = $state(false);
  error = $state<CallError | null>(null);
  tab = $state<CaseTab>('timeline');
  /** A call in flight ('status', 'note', 'reanalyze', ...), to disable its button. */
  busy = $state<string | null>(null);

  /** The note being typed. */
  noteText = $state('');
  /** The draft being edited on this page (starts from the latest version). */
  draftSubject = $state('');
  draftBody = $state('');
  /** The version the editor started from. */
  draftBase = $state<number | null>(null);
  /** Set right after the case opened because its complaint was submitted again. */
  duplicateNotice = $state<{ runId: number } | null>(null);

  readonly latestDraft = $derived<DraftVersion | null>(this.detail?.drafts.at(-1) ?? null);
  /** Edited since the latest version; with no version yet (a case never analysed), anything written. */
  readonly draftDirty = $derived(
    this.latestDraft === null
      ? this.draftSubject.trim() !== '' || this.draftBody.trim() !== ''
      : this.draftSubject !== this.latestDraft.subject || this.draftBody !== this.latestDraft.body,
  );

  constructor(private readonly api: AbuseDeskApi) {}

  /** Open a case (keeps the tab when it is the same case). */
  async open(id: number): Promise<void> {
    if (id !== this.id) {
      this.tab = 'timeline';
      this.noteText = '';
      this.duplicateNotice = null;
      this.detail = null;
      this.related = null;
    }
    this.id = id;
    await this.reload();
  }

  async reload(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    this.loading = true;
    try {
      const [detail, related] = await Promise.all([
        call(this.api, 'cases:get', { id }),
        call(this.api, 'cases:related', { id }).catch(() => null),
      ]);
      if (this.id !== id) return;
      this.setDetail(detail);
      this.related = related;
      this.error = null;
    } catch (e) {
      if (this.id === id) this.error = asCallError(e);
    } finally {
      if (this.id === id) this.loading = false;
    }
  }

  /** Take a fresh detail from a reply; the draft editor follows unless the operator has unsaved edits. */
  setDetail(d: CaseDetail): void {
    const keepEdits = this.detail?.id === d.id && this.draftDirty;
    this.detail = d;
    const latest = d.drafts.at(-1);
    if (!keepEdits) {
      this.draftSubject = latest?.subject ?? '';
      this.draftBody = latest?.body ?? '';
      this.draftBase = latest?.version ?? null;
    }
  }

  /** Run one change; the reply is the fresh detail. Throws (ApiError) so the view can toast. */
  private async change(what: string, fn: (id: number) => Promise<CaseDetail>): Promise<CaseDetail | null> {
    const id = this.id;
    if (id === null) return null;
    this.busy = what;
    try {
      const d = await fn(id);
      if (this.id === id) this.setDetail(d);
      return d;
    } finally {
      this.busy = null;
    }
  }

  setStatus(status: CaseStatus): Promise<CaseDetail | null> {
    return this.change('status', (id) => call(this.api, 'cases:setStatus', { id, status }));
  }

  addTag(tag: string): Promise<CaseDetail | null> {
    return this.change('tag', (id) => call(this.api, 'cases:tag', { id, add: [tag] }));
  }

  removeTag(tag: string): Promise<CaseDetail | null> {
    return this.change('tag', (id) => call(this.api, 'cases:tag', { id, remove: [tag] }));
  }

  /** Adds the typed note; the text is cleared only once it is stored. */
  async addNote(): Promise<CaseDetail | null> {
    const body = this.noteText.trim();
    if (!body) return null;
    const d = await this.change('note', (id) => call(this.api, 'cases:addNote', { id, body }));
    if (d) this.noteText = '';
    return d;
  }

  verify(): Promise<CaseDetail | null> {
    return this.change('verify', (id) => call(this.api, 'cases:verifyEvidence', { id }));
  }

  reanalyze(): Promise<CaseDetail | null> {
    return this.change('reanalyze', (id) => call(this.api, 'cases:reanalyze', { id }));
  }

  /** Make this run the case's headline verdict. */
  acceptRun(runId: number): Promise<CaseDetail | null> {
    return this.change('accept', (id) => call(this.api, 'cases:acceptRun', { id, runId }));
  }

  /** Attach files (paths in Electron, upload tokens in the browser) to the case. */
  addEvidence(refs: string[]): Promise<CaseDetail | null> {
    return this.change('evidence', (id) => call(this.api, 'cases:addEvidence', { id, refs }));
  }

  /** Take a file out of the case (kept in the vault, listed as removed, audited). */
  removeEvidence(evidenceId: number, reason?: string): Promise<CaseDetail | null> {
    return this.change('evidence', (id) => call(this.api, 'cases:removeEvidence', { id, evidenceId, ...(reason ? { reason } : {}) }));
  }

  /** Leave a file out of the next run, or read it again. */
  excludeEvidence(evidenceId: number, excluded: boolean): Promise<CaseDetail | null> {
    return this.change('evidence', (id) => call(this.api, 'cases:excludeEvidence', { id, evidenceId, excluded }));
  }

  /** Save the edited draft as a new version; the edits stay on screen if it fails. */
  async saveDraft(): Promise<DraftVersion | null> {
    const id = this.id;
    if (id === null) return null;
    this.busy = 'draft';
    try {
      const v = await call(this.api, 'cases:saveDraft', { id, subject: this.draftSubject, body: this.draftBody });
      const d = await call(this.api, 'cases:get', { id });
      if (this.id === id) {
        this.detail = d;
        this.draftBase = v.version;
      }
      return v;
    } finally {
      this.busy = null;
    }
  }

  async markSent(draftId: number): Promise<DraftVersion | null> {
    const id = this.id;
    if (id === null) return null;
    this.busy = 'sent';
    try {
      const v = await call(this.api, 'cases:markSent', { id, draftId });
      const d = await call(this.api, 'cases:get', { id });
      if (this.id === id) this.setDetail(d);
      return v;
    } finally {
      this.busy = null;
    }
  }

  async exportBundle() {
    const id = this.id;
    if (id === null) return null;
    this.busy = 'export';
    try {
      return await call(this.api, 'cases:export', { id });
    } finally {
      this.busy = null;
    }
  }
}

/** The per-host view: every complaint about one address over time. */
export class HostState {
  address = $state<string | null>(null);
  history = $state<HostHistory | null>(null);
  loading = $state(false);
  error = $state<CallError | null>(null);

  constructor(private readonly api: AbuseDeskApi) {}

  async open(address: string): Promise<void> {
    this.address = address;
    if (this.history?.address !== address) this.history = null;
    this.loading = true;
    try {
      const h = await call(this.api, 'cases:hostHistory', { address });
      if (this.address === address) {
        this.history = h;
        this.error = null;
      }
    } catch (e) {
      if (this.address === address) this.error = asCallError(e);
    } finally {
      if (this.address === address) this.loading = false;
    }
  }
}
