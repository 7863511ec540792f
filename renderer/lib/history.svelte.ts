import type { RequestOf } from '../../electron/common/contract';
import { isAddressOrCidr } from '../../electron/common/address-syntax';
import { call } from './call';
import { PagedList, type ListPage } from './paged-list.svelte';
import type { AbuseDeskApi, CaseStatus, CaseSummary, SearchHit, Verdict } from './types';

export { CASE_STATUSES as STATUSES, VERDICTS } from '../../analysis/case-vocabulary';

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
 * The History view's state: the search box, the filters, and the list of
 * cases (loaded a page at a time, with the row the keyboard is on).
 */
export class HistoryState extends PagedList<HistoryRow> {
  query = $state('');
  filters = $state<HistoryFilters>(emptyFilters());
  /** Inputs that are not valid (and so not applied). */
  invalid = $state<string[]>([]);

  readonly activeFilterCount = $derived(
    (this.filters.status.length ? 1 : 0) + (this.filters.verdict ? 1 : 0) + (this.filters.from || this.filters.to ? 1 : 0)
      + (this.filters.accused.trim() ? 1 : 0) + (this.filters.reporterDomain.trim() ? 1 : 0) + (this.filters.tag.trim() ? 1 : 0),
  );

  constructor(private readonly api: AbuseDeskApi) {
    super(PAGE);
  }

  protected override listKey(): string {
    return JSON.stringify([this.query.trim(), filterRequest(this.filters).request]);
  }

  protected async fetchPage(offset: number, limit: number): Promise<ListPage<HistoryRow>> {
    const { request, invalid } = filterRequest(this.filters);
    this.invalid = invalid;
    const q = this.query.trim();
    const page = q
      ? await call(this.api, 'cases:search', { ...request, query: q, limit, offset })
      : await call(this.api, 'cases:list', { ...request, limit, offset });
    return { items: page.items as Array<CaseSummary | SearchHit>, hasMore: page.hasMore };
  }

  toggleStatus(s: CaseStatus): void {
    this.filters.status = this.filters.status.includes(s) ? this.filters.status.filter((x) => x !== s) : [...this.filters.status, s];
  }

  clearFilters(): void {
    this.filters = emptyFilters();
  }
}
