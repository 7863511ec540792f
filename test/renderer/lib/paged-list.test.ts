import { describe, expect, it } from 'vitest';
import { PagedList, reselect, type ListPage } from '../../../renderer/lib/paged-list.svelte';
import { QueueState } from '../../../renderer/lib/queue.svelte';
import { HistoryState } from '../../../renderer/lib/history.svelte';
import { FakeApi } from '../fake-api';

interface Row { id: number }

/**
 * A list over an array the test changes between loads, as the store's rows
 * change between two visits; `kind` plays the query (a different list).
 */
class ArrayList extends PagedList<Row> {
  ids: number[] = [];
  kind = 'all';
  fail: Error | null = null;
  /** Requests held back until the test releases them (to answer out of order). */
  held: Array<() => void> = [];
  hold = false;
  readonly requests: Array<{ offset: number; limit: number }> = [];

  constructor(pageSize = 3) {
    super(pageSize);
  }

  protected override listKey(): string {
    return this.kind;
  }

  protected fetchPage(offset: number, limit: number): Promise<ListPage<Row>> {
    this.requests.push({ offset, limit });
    const ids = [...this.ids];
    const fail = this.fail;
    const answer = () => {
      if (fail) throw fail;
      return { items: ids.slice(offset, offset + limit).map((id) => ({ id })), hasMore: offset + limit < ids.length };
    };
    if (!this.hold) return Promise.resolve().then(answer);
    return new Promise((resolve, reject) => this.held.push(() => { try { resolve(answer()); } catch (e) { reject(e as Error); } }));
  }
}

const idsOf = (l: PagedList<Row>) => l.rows.map((r) => r.id);

describe('PagedList', () => {
  it('loads a page at a time and stops when the store has no more', async () => {
    const l = new ArrayList(3);
    l.ids = [10, 11, 12, 13, 14];
    expect(l.loaded).toBe(false);
    await l.load();
    expect(idsOf(l)).toEqual([10, 11, 12]);
    expect(l.hasMore).toBe(true);
    expect(l.loaded).toBe(true);
    expect(l.loading).toBe(false);
    l.selected = 2;
    await l.loadMore();
    expect(idsOf(l)).toEqual([10, 11, 12, 13, 14]);
    expect(l.hasMore).toBe(false);
    expect(l.selected).toBe(2); // a further page does not move the keyboard
    await l.loadMore();
    expect(l.requests).toEqual([{ offset: 0, limit: 3 }, { offset: 3, limit: 3 }]);
  });

  it('moves by rows and pages, stopping at either end; Home and End go to the first and last loaded row', async () => {
    const l = new ArrayList(50);
    l.move(1);
    l.last();
    expect(l.selected).toBe(0); // nothing loaded: nothing moves
    l.ids = Array.from({ length: 30 }, (_, i) => i + 1);
    await l.load();
    l.move(1);
    expect(l.selectedRow).toEqual({ id: 2 });
    l.move(-5);
    expect(l.selected).toBe(0);
    l.move(12);
    expect(l.selected).toBe(12);
    l.move(100);
    expect(l.selectedRow).toEqual({ id: 30 });
    l.first();
    expect(l.selected).toBe(0);
    l.last();
    expect(l.selectedRow).toEqual({ id: 30 });
  });

  it('keeps the keyboard on the same case when the same list is loaded again, wherever it moved', async () => {
    const l = new ArrayList(10);
    l.ids = [1, 2, 3, 4];
    await l.load();
    l.selected = 2; // case 3
    l.ids = [9, 8, 1, 2, 3, 4]; // two new cases above it
    await l.load();
    expect(l.selectedRow).toEqual({ id: 3 });
    expect(l.selected).toBe(4);
  });

  it('puts the keyboard on the row that took the place of a case that left the list, or the last row', async () => {
    const l = new ArrayList(10);
    l.ids = [1, 2, 3, 4];
    await l.load();
    l.selected = 1; // case 2 is closed and leaves
    l.ids = [1, 3, 4];
    await l.load();
    expect(l.selectedRow).toEqual({ id: 3 });
    l.last(); // case 4, the last, leaves
    l.ids = [1, 3];
    await l.load();
    expect(l.selectedRow).toEqual({ id: 3 });
    l.ids = [];
    await l.load();
    expect(l.selected).toBe(0);
    expect(l.selectedRow).toBeUndefined();
  });

  it('starts a different list (another query or filter) at the top, even when the case is in it', async () => {
    const l = new ArrayList(10);
    l.ids = [1, 2, 3];
    await l.load();
    l.selected = 2;
    l.kind = 'search';
    l.ids = [5, 3];
    await l.load();
    expect(l.selected).toBe(0);
  });

  it('puts the keyboard on the first listed of the preferred cases (what an import brought), else keeps its case', async () => {
    const l = new ArrayList(10);
    l.ids = [1, 2, 3];
    await l.load();
    l.selected = 2;
    l.ids = [1, 7, 2, 6, 3];
    await l.load([6, 7]);
    expect(l.selectedRow).toEqual({ id: 7 }); // 7 ranks above 6
    l.ids = [1, 7, 2, 6, 3, 4];
    await l.load([42]); // an import whose case is not in this list (another class)
    expect(l.selectedRow).toEqual({ id: 7 });
  });

  it('drops an answer that arrives after the answer to a newer request', async () => {
    const l = new ArrayList(10);
    l.hold = true;
    l.ids = [1, 2];
    const older = l.load();
    l.kind = 'search';
    l.ids = [3];
    const newer = l.load();
    l.held[1](); // the newer answers first
    await newer;
    l.held[0]();
    await older;
    expect(idsOf(l)).toEqual([3]);
    expect(l.loading).toBe(false);
  });

  it('shows the error of a failed load without rows, and clears it on the next load', async () => {
    const l = new ArrayList(10);
    l.ids = [1, 2];
    await l.load();
    l.fail = Object.assign(new Error('The case store is locked.'), { code: 'busy' });
    await l.load();
    expect(l.error).toEqual({ code: 'busy', message: 'The case store is locked.' });
    expect(l.rows).toEqual([]);
    expect(l.hasMore).toBe(false);
    expect(l.loaded).toBe(true);
    l.fail = null;
    await l.load();
    expect(l.error).toBeNull();
    expect(idsOf(l)).toEqual([1, 2]);
  });
});

describe('reselect', () => {
  it('prefers, then keeps the case, then keeps the place', () => {
    expect(reselect([], { id: 3, index: 2, sameList: true })).toBe(0);
    expect(reselect([4, 5, 6], { id: 5, index: 0, sameList: true }, [6, 4])).toBe(0);
    expect(reselect([4, 5, 6], { id: 5, index: 0, sameList: true })).toBe(1);
    expect(reselect([4, 5, 6], { id: 5, index: 2, sameList: false })).toBe(0);
    expect(reselect([4, 6], { id: 5, index: 1, sameList: true })).toBe(1);
    expect(reselect([4, 6], { id: 9, index: 7, sameList: true })).toBe(1);
    expect(reselect([4, 6], { id: undefined, index: 0, sameList: true })).toBe(0);
  });
});

describe('the lists of the app', () => {
  function queue() {
    const fake = new FakeApi().scriptQueue();
    for (const id of [1, 2, 3, 4]) {
      fake.addCase({ id, status: 'new', verdict: null, confidence: null });
      fake.queueInfo.set(id, { queueClass: id === 4 ? 'false-positive' : 'other', rankReason: 'no clear leaning yet' });
    }
    return { fake, q: new QueueState(fake.api) };
  }

  it('Queue: a closed case hands the keyboard to the next one; a class filter starts at the top', async () => {
    const { q } = queue();
    await q.load();
    expect(idsOf(q)).toEqual([1, 2, 3, 4]);
    q.selected = 1;
    await q.bulkStatus('closed', [2]);
    expect(idsOf(q)).toEqual([1, 3, 4]);
    expect(q.selectedRow?.id).toBe(3);
    q.selected = 2;
    await q.setFilter('other');
    expect(idsOf(q)).toEqual([1, 3]);
    expect(q.selected).toBe(0);
  });

  it('Queue: after an import the keyboard is on the top-ranked new case; picks of cases that left are dropped', async () => {
    const { fake, q } = queue();
    await q.load();
    q.togglePick(1);
    q.togglePick(4);
    fake.addCase({ id: 5, status: 'new', verdict: null, confidence: null });
    fake.queueInfo.set(5, { queueClass: 'compromise', rankReason: 'likely compromise' });
    fake.cases.get(1)!.status = 'closed';
    await q.load([5]);
    expect(q.selectedRow?.id).toBe(5);
    expect(q.selected).toBe(0);
    expect(q.picked).toEqual([4]);
    expect(q.counts.compromise).toBe(1);
  });

  it('History: a new search starts at the top; coming back to the same list keeps the case', async () => {
    const fake = new FakeApi();
    for (const id of [1, 2, 3]) fake.addCase({ id, subject: id === 2 ? 'worm on 198.51.100.99' : `scan ${id}`, receivedAt: Date.UTC(2025, 11, id) });
    const h = new HistoryState(fake.api);
    await h.load();
    expect(idsOf(h)).toEqual([3, 2, 1]);
    h.selected = 2;
    await h.load();
    expect(h.selectedRow?.id).toBe(1);
    h.query = 'worm';
    await h.load();
    expect(idsOf(h)).toEqual([2]);
    expect(h.selected).toBe(0);
  });
});
