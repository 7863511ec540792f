import { waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { AppState } from '../../../renderer/lib/app.svelte';
import { watchStore } from '../../../renderer/lib/live';
import { FakeApi } from '../fake-api';

/** A window showing the queue and history, with case 1 open; changes arrive as the desk's store announces them. */
async function window() {
  const fake = new FakeApi().scriptQueue();
  for (const id of [1, 2]) {
    fake.addCase({ id, status: 'new' });
    fake.queueInfo.set(id, { queueClass: 'false-positive', rankReason: 'likely backscatter' });
  }
  const app = new AppState(fake.api);
  await app.queue.load();
  await app.history.load();
  await app.openCase(1);
  const stop = watchStore(app, 20);
  const counts = () => ({ queue: fake.callsTo('queue:list').length, history: fake.callsTo('cases:list').length, case1: fake.callsTo('cases:get').filter((r) => (r as { id: number }).id === 1).length });
  return { fake, app, stop, counts };
}

describe('live refresh from the desk\'s store changes', () => {
  it("a colleague's close reloads the queue (the case leaves it), history and the open case", async () => {
    const { fake, app, stop, counts } = await window();
    const before = counts();
    expect(app.queue.rows.map((r) => r.id)).toEqual([1, 2]);
    fake.cases.get(1)!.status = 'closed';
    fake.emit('onStoreChanged', { caseId: 1, action: 'status_changed', operator: 'bob', at: Date.now() });
    await waitFor(() => expect(app.queue.rows.map((r) => r.id)).toEqual([2]));
    await waitFor(() => expect(app.casePage.detail?.status).toBe('closed'));
    const after = counts();
    expect(after.queue).toBe(before.queue + 1);
    expect(after.history).toBeGreaterThan(before.history);
    expect(after.case1).toBe(before.case1 + 1);
    stop();
  });

  it('a burst of changes costs one reload; a change of another case leaves the open one alone', async () => {
    const { fake, stop, counts } = await window();
    const before = counts();
    for (let i = 0; i < 50; i++) fake.emit('onStoreChanged', { caseId: 2, action: 'created', operator: 'bob', at: Date.now() });
    await waitFor(() => expect(counts().queue).toBe(before.queue + 1));
    await new Promise((r) => setTimeout(r, 60));
    expect(counts()).toMatchObject({ queue: before.queue + 1, case1: before.case1 });
    stop();
    fake.emit('onStoreChanged', { caseId: 1, action: 'claimed', operator: 'bob', at: Date.now() });
    await new Promise((r) => setTimeout(r, 60));
    expect(counts().case1).toBe(before.case1);
  });
});
