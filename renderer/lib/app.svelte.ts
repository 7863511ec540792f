import type { AbuseDeskApi, AppInfo, CaseSummary } from './types';
import type { RepeatCandidate } from '../../electron/common/contract';
import { CustomerCache } from './customers.svelte';
import { confidenceText } from './format';
import { call } from './call';
import { CasePageState, HostState } from './case-page.svelte';
import { CaseState } from './case.svelte';
import { HistoryState } from './history.svelte';
import { QueueState } from './queue.svelte';
import { SettingsState } from './settings.svelte';
import { isStoreProblem, type StoreProblem } from './store-problem';

export type ViewId = 'new' | 'analysis' | 'result' | 'draft' | 'queue' | 'history' | 'case' | 'host' | 'settings';

export const VIEW_TITLES: Record<ViewId, string> = {
  new: 'New case',
  analysis: 'Analysis',
  result: 'Result',
  draft: 'Reply draft',
  queue: 'Queue',
  history: 'History',
  case: 'Case',
  host: 'Host',
  settings: 'Settings',
};

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'success' | 'error';
  /** A button in the toast (Undo); the toast then stays longer and takes the pointer. */
  action?: { label: string; run: () => void };
}

/** The operator's answer to "you have seen this complaint before". */
export type RepeatChoice = 'join' | 'reopen' | 'new' | 'cancel';

/** The window: which view is shown, the case, the settings, and messages for the operator. */
export class AppState {
  view = $state<ViewId>('new');
  info = $state<AppInfo | null>(null);
  toasts = $state<Toast[]>([]);
  /** Polite screen-reader announcement (the live region reads it). */
  announcement = $state('');
  /** The case store is in trouble (read-only, full, damaged): a banner above every view until dismissed. */
  storeProblem = $state<StoreProblem | null>(null);
  /** The latest cases, for the sidebar (beside New case). */
  recent = $state<CaseSummary[]>([]);
  /** A complaint already stored as a case, asked about before the run (RepeatPrompt). */
  repeatPrompt = $state<RepeatCandidate | null>(null);
  /** Whose machines our addresses are (the imported customer list). */
  readonly customers: CustomerCache;
  readonly kase: CaseState;
  readonly settings: SettingsState;
  readonly history: HistoryState;
  readonly casePage: CasePageState;
  readonly hostView: HostState;
  readonly queue: QueueState;
  private toastSeq = 0;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(readonly api: AbuseDeskApi) {
    this.kase = new CaseState(api);
    this.settings = new SettingsState(api);
    this.history = new HistoryState(api);
    this.casePage = new CasePageState(api);
    this.hostView = new HostState(api);
    this.queue = new QueueState(api);
    this.customers = new CustomerCache(api);
    // Mail arrived (an IMAP fetch by the timer, an import): the queue and the sidebar follow.
    if (typeof api.onQueueChanged === 'function') {
      this.unsubscribe.push(api.onQueueChanged((c) => {
        void this.refreshRecent();
        if (this.queue.loaded) void this.queue.load();
        if (c.source === 'imap' && c.created) this.toast(`${c.created} new complaint${c.created === 1 ? '' : 's'} fetched by IMAP`, 'info', 5000);
      }));
    }
    this.kase.onFinished = (phase) => {
      if (phase === 'done' && this.kase.result) {
        const r = this.kase.result;
        this.announce(`Analysis finished: ${r.verdict}, ${confidenceText(r.verdict, r.confidence)}.`);
        const saved = this.kase.saved;
        if (saved) {
          void this.refreshRecent();
          if (this.queue.loaded) void this.queue.load();
        }
        if (this.kase.saveError) {
          this.reportStoreError(this.kase.saveError, 'save this analysis as a case');
        }
        if (saved?.repeatOf) {
          const msg = `The same complaint as case ${saved.repeatOf}: saved as case ${saved.caseId}, linked to it; case ${saved.repeatOf} is unchanged`;
          this.toast(msg, 'info', 8000);
          this.announce(msg);
        }
        if (saved?.existed && (this.view === 'analysis' || this.view === 'new')) {
          // The same complaint again: open the case it already is, with the new run added.
          void this.openCase(saved.caseId, { duplicateRun: saved.runId });
          return;
        }
        if (this.view === 'analysis') this.view = 'result';
      } else if (phase === 'failed') {
        this.announce(`Analysis failed: ${this.kase.error?.message ?? 'unknown error'}`);
      } else if (phase === 'cancelled') {
        this.announce('Analysis cancelled.');
      }
    };
  }

  async init(): Promise<void> {
    void this.refreshRecent();
    void this.checkStore();
    if (!this.startChosen) void this.openQueueIfWork();
    await this.settings.load();
    try {
      this.info = await call(this.api, 'app:info', {});
    } catch {
      this.info = null;
    }
  }

  get host(): 'electron' | 'browser' {
    return this.api.host;
  }

  /** Views that have something to show right now. */
  available(v: ViewId): boolean {
    switch (v) {
      case 'analysis': return this.kase.phase !== 'idle';
      case 'result': return this.kase.result !== null;
      case 'draft': return this.kase.result !== null;
      case 'case': return this.casePage.id !== null;
      case 'host': return this.hostView.address !== null;
      default: return true;
    }
  }

  go(v: ViewId): boolean {
    if (!this.available(v)) return false;
    if (v === 'new' && this.view !== 'new') this.startFresh();
    this.view = v;
    if (v === 'history') void this.history.load();
    if (v === 'queue') void this.queue.load();
    return true;
  }

  /**
   * A finished analysis that is saved belongs to its stored case: New case then
   * starts empty, so its complaint and evidence cannot leak into the next
   * complaint. Reply edits not yet stored are saved as a draft version first.
   * Unsaved work (a failed save, a running job) stays.
   */
  private startFresh(): void {
    const k = this.kase;
    if (k.phase !== 'done' || !k.saved) return;
    const id = k.saved.caseId;
    if (k.draftEdited && k.draftUnsaved) {
      k.storeDraft().then(() => k.clear(), (e: unknown) => this.reportStoreError(e, `keep the edited reply of case ${id}`));
    } else {
      k.clear();
    }
    this.announce(`Case ${id} is saved; New case starts empty.`);
  }

  private startChosen = false;

  /**
   * Before the first paint (renderer/main.ts): open on the queue when there are open
   * cases, so the window does not switch views under the operator. A slow store does
   * not hold the window for more than `timeoutMs`.
   */
  async chooseStartView(timeoutMs = 1500): Promise<void> {
    this.startChosen = true;
    await Promise.race([this.openQueueIfWork(), new Promise((r) => setTimeout(r, timeoutMs))]);
  }

  /** The window opens on the queue when there are open cases (and nothing was typed yet). */
  private async openQueueIfWork(): Promise<void> {
    await this.queue.load();
    if (this.queue.total > 0 && this.view === 'new' && !this.kase.complaintText && this.kase.phase === 'idle') this.view = 'queue';
  }

  /**
   * A stored case into the New case flow: its complaint prefilled (as received),
   * ready for evidence. The finished analysis is saved to the same case.
   */
  async prepareAnalysis(id: number): Promise<boolean> {
    try {
      const d = await call(this.api, 'cases:get', { id });
      this.kase.clear();
      this.kase.complaintText = d.complaintRaw;
      this.kase.joinCase = id;
      if (d.complaintName && d.complaintName !== 'pasted') this.kase.complaintFile = d.complaintName;
      this.announce(`Case ${id}: its complaint is in New case; attach the evidence and analyse.`);
      return true;
    } catch (e) {
      this.reportStoreError(e, 'open the case for analysis');
      return false;
    }
  }

  /** Open a case on its Drafts tab (the reply). */
  async openReply(id: number): Promise<void> {
    const opened = this.openCase(id);
    // open() picks the first tab for another case at once; the reply is on Drafts.
    this.casePage.tab = 'drafts';
    await opened;
  }

  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.kase.dispose();
  }

  /** Say at once when the case history cannot be used (damaged, read-only), not at the first save. */
  async checkStore(): Promise<void> {
    try {
      const s = await call(this.api, 'store:info', {});
      if (s.error && !this.storeProblem) {
        this.storeProblem = { code: s.error.code, message: s.error.message, ...(s.available ? {} : { action: 'open the case history' }) };
      }
    } catch {
      // An older host without the store: nothing to say.
    }
  }

  /** Reload the sidebar's latest cases; a store that is not there leaves the list empty (store:info says why). */
  async refreshRecent(): Promise<void> {
    try {
      this.recent = (await call(this.api, 'cases:list', { limit: 5 })).items;
    } catch {
      this.recent = [];
    }
  }

  /** Open a stored case on the Case page. */
  async openCase(id: number, opts: { duplicateRun?: number } = {}): Promise<void> {
    const load = this.casePage.open(id);
    this.casePage.duplicateNotice = opts.duplicateRun !== undefined ? { runId: opts.duplicateRun } : null;
    this.view = 'case';
    await load;
    if (this.casePage.error) this.reportStoreError(this.casePage.error, 'open the case');
    void this.refreshRecent();
    if (opts.duplicateRun !== undefined) this.announce(`This complaint is already case ${id}: opened it.`);
  }

  /** Open the per-host view for an address. */
  async openHost(address: string): Promise<void> {
    const load = this.hostView.open(address);
    this.view = 'host';
    await load;
  }

  /**
   * A failed store call: store-wide problems (read-only, disk full, damaged)
   * get the banner, anything else a toast. Nothing on screen is cleared.
   */
  reportStoreError(e: unknown, action: string): void {
    const err = e as { code?: string; message?: string };
    const code = err?.code ?? 'internal';
    const message = err?.message ?? String(e);
    if (isStoreProblem(e) || ['read_only', 'disk_full', 'corrupt', 'busy', 'too_new', 'store_unavailable'].includes(code)) {
      this.storeProblem = { code, message, action };
      this.announce(`Could not ${action}: ${message}`);
    } else {
      this.toast(`Could not ${action}: ${message}`, 'error', 7000);
      this.announce(`Could not ${action}: ${message}`);
    }
  }

  announce(text: string): void {
    // Clearing first makes the live region re-read an identical message.
    this.announcement = '';
    queueMicrotask(() => { this.announcement = text; });
  }

  toast(text: string, tone: Toast['tone'] = 'info', ms = 3500, action?: Toast['action']): void {
    const id = ++this.toastSeq;
    this.toasts.push({ id, text, tone, ...(action ? { action } : {}) });
    setTimeout(() => this.dismissToast(id), ms);
  }

  dismissToast(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  /**
   * Analyse what is in New case. A complaint already stored as a case is asked
   * about first (join or reopen it, or a new case linked to it), unless the run
   * was started from that case (joinCase).
   */
  async analyse(): Promise<void> {
    if (!this.kase.canAnalyse) return;
    if (this.kase.joinCase === null) {
      let earlier: RepeatCandidate | null = null;
      try {
        earlier = await call(this.api, 'cases:findRepeat', { complaintText: this.kase.complaintText });
      } catch {
        // No case history (damaged, read-only host): the analysis runs and says why it was not saved.
      }
      if (earlier) {
        this.repeatPrompt = earlier;
        this.announce(`This complaint is already case ${earlier.id}: choose whether the analysis joins it.`);
        return;
      }
    }
    await this.run();
  }

  /** The answer to the repeat prompt: join the open case, reopen an answered one, or a new case linked to it. */
  async answerRepeat(choice: RepeatChoice): Promise<void> {
    const earlier = this.repeatPrompt;
    this.repeatPrompt = null;
    if (!earlier || choice === 'cancel') return;
    if (choice === 'reopen') {
      try {
        await call(this.api, 'cases:setStatus', { id: earlier.id, status: 'analysed' });
      } catch (e) {
        this.reportStoreError(e, `reopen case ${earlier.id}`);
        return;
      }
    }
    this.kase.joinCase = choice === 'new' ? null : earlier.id;
    await this.run();
  }

  private async run(): Promise<void> {
    if (!this.kase.canAnalyse) return;
    this.view = 'analysis';
    await this.kase.start(this.settings.ourNets);
  }
}
