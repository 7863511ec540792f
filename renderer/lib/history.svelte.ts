import type { RequestOf } from '../../electron/common/contract';
import { isAddressOrCidr } from '../../electron/common/address-syntax';
import { call } from './call';
import type { AbuseDeskApi, CaseStatus, CaseSummary, SearchHit, Verdict } from './types';

export const STATUSES: CaseStatus[] = ['new', 'analysed', 'replied', 'closed'];
export const VERDICTS: Verdict[] = ['backscatter', 'legitimate', 'compromise', 'inconclusive'];

export const STATUS_LABEL: Record<CaseStatus, string> = {
  new: 'New',
  analysed: 'Analysed',
  replied: 'Replied',
  closed: 'Closed',
};

/** A row of the list: a case, with a search snippet when it came from a search. */
export type HistoryRow = CaseSummary & { snippet?: string };

const PAGE = 50;

/** The filter inputs as the view binds them (strings; empty means "any"). */
export interface HistoryFilters {
  status: CaseStatus[];
  verdict: Verdict | '';
  from: string;
  to: string;
  accused: string;
  reporterDomain: string;
  tag: string;
}

export function emptyFilters(): HistoryFilters {
  return { status: [], verdict: '', from: '', to: '', accused: '', reporterDomain: '', tag: '' };
}

/** The filters as the contract wants them, and the inputs that are not valid yet. */
export function filterRequest(f: HistoryFilters): { request: RequestOf<'cases:list'>; invalid: string[] } {
  const request: RequestOf<'cases:list'> = {};
  const invalid: string[] = [];
  if (f.status.length) request.status = [...f.status];
  if (f.verdict) request.verdict = [f.verdict];
  if (f.from) request.from = f.from;
  if (f.to) request.to = f.to;
  const accused = f.accused.trim();
  if (accused) {
    if (isAddressOrCidr(accused)) request.accused = accused;
    else invalid.push('accused');
  }
  const domain = f.reporterDomain.trim().toLowerCase().replace(/^@/, '');
  if (domain) {
    if (/^[a-z0-9.-]+$/.test(domain) && !domain.startsWith('.') && !domain.endsWith('.')) request.reporterDomain = domain;
    else invalid.push('reporterDomain');
  }
  const tag = f.tag.trim();
  if (tag) request.tag = tag;
  return { request, invalid };
}

/**
 * The History view's state: the search box, the filters, the rows loaded so
 * far and which one the keyboard is on.
 */
export class HistoryState {
  query = $state('');
  filters = $state<HistoryFilters>(emptyFilters());
  rows = $state<HistoryRow[]>([]);
  hasMore = $state(false);
  loading = $state(false);
  loaded = $state(false);
  error = $state<{ code: string; message: string } | null>(null);
  /** Inputs that are not valid (and so not applied). */
  invalid = $state<string[]>([]);
  /** The row the keyboard is on (index into rows). */
  selected = $state(0);

  readonly activeFilterCount = $derived(
    (this.filters.status.length ? 1 : 0) + (this.filters.verdict ? 1 : 0) + (this.filters.from || this.filters.to ? 1 : 0)
      + (this.filters.accused.trim() ? 1 : 0) + (this.filters.reporterDomain.trim() ? 1 : 0) + (this.filters.tag.trim() ? 1 : 0),
  );

  /** Answers to earlier requests are dropped when a newer one was sent. */
  private seq = 0;

  constructor(private readonly api: AbuseDeskApi) {}

  /** Load the first page for the current query and filters. */
  async load(): Promise<void> {
    await this.fetch(0);
  }

  async loadMore(): Promise<void> {
    if (!this.hasMore || this.loading) return;
    await this.fetch(this.rows.length);
  }

  private async fetch(offset: number): Promise<void> {
    const seq = ++this.seq;
    const { request, invalid } = filterRequest(this.filters);
    this.invalid = invalid;
    this.loading = true;
    try {
      const q = this.query.trim();
      const page = q
        ? await call(this.api, 'cases:search', { ...request, query: q, limit: PAGE, offset })
        : await call(this.api, 'cases:list', { ...request, limit: PAGE, offset });
      if (seq !== this.seq) return;
      const items = page.items as Array<CaseSummary | SearchHit>;
      this.rows = offset === 0 ? items : [...this.rows, ...items];
      this.hasMore = page.hasMore;
      this.error = null;
      if (offset === 0) this.selected = 0;
      this.selected = Math.min(this.selected, Math.max(0, this.rows.length - 1));
    } catch (e) {
      if (seq !== this.seq) return;
      const err = e as { code?: string; message?: string };
      this.error = { code: err.code ?? 'internal', message: err.message ?? String(e) };
      if (offset === 0) this.rows = [];
      this.hasMore = false;
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  toggleStatus(s: CaseStatus): void {
    this.filters.status = this.filters.status.includes(s) ? this.filters.status.filter((x) => x !== s) : [...this.filters.status, s];
  }

  clearFilters(): void {
    this.filters = emptyFilters();
  }

  move(delta: number): void {
    if (!this.rows.length) return;
    this.selected = Math.max(0, Math.min(this.rows.length - 1, this.selected + delta));
  }

  get selectedRow(): HistoryRow | undefined {
    return this.rows[this.selected];
  }
}
