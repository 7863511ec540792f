import { describe, expect, it } from 'vitest';
import { AppState } from '../../../renderer/lib/app.svelte';
import { FakeApi } from '../fake-api';

describe('the app\'s state (no view drawn)', () => {
  it('only goes to views that have something to show; history and the queue load when opened', async () => {
    const fake = new FakeApi().scriptQueue();
    const app = new AppState(fake.api);
    expect([app.go('result'), app.go('draft'), app.go('case'), app.go('host'), app.view]).toEqual([false, false, false, false, 'new']);
    expect(app.go('history')).toBe(true);
    expect(app.go('queue')).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.callsTo('cases:list').length).toBeGreaterThan(0);
    expect(fake.callsTo('queue:list').length).toBeGreaterThan(0);
  });

  it('opens on the queue when there are open cases, and stays on New case when there are none', async () => {
    const busy = new FakeApi().scriptQueue();
    busy.addCase({ id: 1, status: 'new' });
    busy.queueInfo.set(1, { queueClass: 'compromise', rankReason: 'likely compromise' });
    const a = new AppState(busy.api);
    await a.chooseStartView();
    expect(a.view).toBe('queue');
    const idle = new AppState(new FakeApi().scriptQueue().api);
    await idle.chooseStartView();
    expect(idle.view).toBe('new');
  });

  it('a stored case prefilled into New case joins that case; one that is gone raises no banner but a toast', async () => {
    const fake = new FakeApi();
    fake.addCase({ id: 4, complaintRaw: 'Subject: scan\n\nfrom 198.51.100.80', complaintName: 'scan.eml' });
    const app = new AppState(fake.api);
    expect(await app.prepareAnalysis(4)).toBe(true);
    expect([app.kase.complaintText, app.kase.joinCase, app.kase.complaintFile]).toEqual(['Subject: scan\n\nfrom 198.51.100.80', 4, 'scan.eml']);
    expect(await app.prepareAnalysis(99)).toBe(false);
    expect([app.storeProblem, app.toasts.at(-1)?.tone]).toEqual([null, 'error']);
  });

  it('toasts go away by themselves; a store that cannot be opened is said at start', async () => {
    const fake = new FakeApi();
    fake.handlers['store:info'] = () => ({ ok: true, value: { available: false, error: { code: 'corrupt', message: 'The case database is damaged' } } as never });
    const app = new AppState(fake.api);
    app.toast('hello', 'info', 5);
    expect(app.toasts.map((t) => t.text)).toEqual(['hello']);
    await new Promise((r) => setTimeout(r, 20));
    expect(app.toasts).toEqual([]);
    await app.checkStore();
    expect(app.storeProblem).toEqual({ code: 'corrupt', message: 'The case database is damaged', action: 'open the case history' });
  });
});
