/** One page of rows as the store answers it. */
export interface ListPage<T> {
  items: T[];
  hasMore: boolean;
}

/** The error of a failed load, as the list shows it. */
export interface ListError {
  code: string;
  message: string;
}

/**
 * Which row the keyboard should be on after the first page was loaded again.
 * A different list (another query, filter or class) starts at the top; the
 * same list keeps the case the operator was on, and when that case left the
 * list (closed, filtered out) the row that moved into its place. Rows listed
 * in `prefer` (say, the cases an import just created) win over both, the
 * first of them in list order.
 */
export function reselect(
  ids: readonly number[],
  was: { id: number | undefined; index: number; sameList: boolean },
  prefer: readonly number[] = [],
): number {
  if (!ids.length) return 0;
  if (prefer.length) {
    const at = ids.findIndex((id) => prefer.includes(id));
    if (at >= 0) return at;
  }
  if (!was.sameList) return 0;
  const kept = was.id === undefined ? -1 : ids.indexOf(was.id);
  if (kept >= 0) return kept;
  return Math.max(0, Math.min(was.index, ids.length - 1));
}

/**
 * A list of cases loaded a page at a time, with the row the keyboard is on.
 * History and the Queue extend it with what they ask the store for
 * (`fetchPage`) and what makes one list differ from another (`listKey`).
 */
export abstract class PagedList<T extends { id: number }> {
  rows = $state<T[]>([]);
  hasMore = $state(false);
  loading = $state(false);
  loaded = $state(false);
  error = $state<ListError | null>(null);
  /** The row the keyboard is on (index into rows). */
  selected = $state(0);

  /** Answers to earlier requests are dropped when a newer one was sent. */
  private seq = 0;
  /** The listKey of the rows on screen. */
  private shownKey: string | null = null;

  constructor(private readonly pageSize: number) {}

  /** Ask the store for `limit` rows from `offset`. */
  protected abstract fetchPage(offset: number, limit: number): Promise<ListPage<T>>;

  /** What the rows are a list of (query, filters); a change starts the selection at the top. */
  protected listKey(): string {
    return '';
  }

  /** A page arrived (for state that comes with it, such as counts). */
  protected received(_page: ListPage<T>): void {}

  /** Load the first page again; `prefer` names rows to put the keyboard on when they are listed. */
  async load(prefer: readonly number[] = []): Promise<void> {
    await this.fetch(0, prefer);
  }

  async loadMore(): Promise<void> {
    if (!this.hasMore || this.loading) return;
    await this.fetch(this.rows.length, []);
  }

  private async fetch(offset: number, prefer: readonly number[]): Promise<void> {
    const seq = ++this.seq;
    const key = this.listKey();
    this.loading = true;
    try {
      const page = await this.fetchPage(offset, this.pageSize);
      if (seq !== this.seq) return;
      // Where the keyboard is now, not when the request left: the operator may have moved meanwhile.
      const was = { id: this.rows[this.selected]?.id, index: this.selected, sameList: key === this.shownKey };
      this.rows = offset === 0 ? page.items : [...this.rows, ...page.items];
      this.hasMore = page.hasMore;
      this.error = null;
      this.shownKey = key;
      this.received(page);
      if (offset === 0) this.selected = reselect(this.rows.map((r) => r.id), was, prefer);
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

  /** Move the keyboard by `delta` rows, stopping at either end. */
  move(delta: number): void {
    if (!this.rows.length) return;
    this.selected = Math.max(0, Math.min(this.rows.length - 1, this.selected + delta));
  }

  /** Home: the first row. */
  first(): void {
    this.selected = 0;
  }

  /** End: the last row loaded so far ("Load more" fetches the next page). */
  last(): void {
    this.selected = Math.max(0, this.rows.length - 1);
  }

  get selectedRow(): T | undefined {
    return this.rows[this.selected];
  }
}
