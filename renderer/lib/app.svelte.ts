import type { AbuseDeskApi, AppInfo } from './types';
import { call } from './call';
import { CaseState } from './case.svelte';
import { SettingsState } from './settings.svelte';

export type ViewId = 'new' | 'analysis' | 'result' | 'draft' | 'settings';

export const VIEW_TITLES: Record<ViewId, string> = {
  new: 'New case',
  analysis: 'Analysis',
  result: 'Result',
  draft: 'Reply draft',
  settings: 'Settings',
};

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'success' | 'error';
}

/** The window: which view is shown, the case, the settings, and messages for the operator. */
export class AppState {
  view = $state<ViewId>('new');
  info = $state<AppInfo | null>(null);
  toasts = $state<Toast[]>([]);
  /** Polite screen-reader announcement (the live region reads it). */
  announcement = $state('');
  readonly kase: CaseState;
  readonly settings: SettingsState;
  private toastSeq = 0;

  constructor(readonly api: AbuseDeskApi) {
    this.kase = new CaseState(api);
    this.settings = new SettingsState(api);
    this.kase.onFinished = (phase) => {
      if (phase === 'done' && this.kase.result) {
        const r = this.kase.result;
        this.announce(`Analysis finished: ${r.verdict}, confidence ${Math.round(r.confidence * 100)} percent.`);
        if (this.view === 'analysis') this.view = 'result';
      } else if (phase === 'failed') {
        this.announce(`Analysis failed: ${this.kase.error?.message ?? 'unknown error'}`);
      } else if (phase === 'cancelled') {
        this.announce('Analysis cancelled.');
      }
    };
  }

  async init(): Promise<void> {
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
      default: return true;
    }
  }

  go(v: ViewId): boolean {
    if (!this.available(v)) return false;
    this.view = v;
    return true;
  }

  announce(text: string): void {
    // Clearing first makes the live region re-read an identical message.
    this.announcement = '';
    queueMicrotask(() => { this.announcement = text; });
  }

  toast(text: string, tone: Toast['tone'] = 'info', ms = 3500): void {
    const id = ++this.toastSeq;
    this.toasts.push({ id, text, tone });
    setTimeout(() => { this.toasts = this.toasts.filter((t) => t.id !== id); }, ms);
  }

  async analyse(): Promise<void> {
    if (!this.kase.canAnalyse) return;
    this.view = 'analysis';
    await this.kase.start(this.settings.ourNets);
  }
}
