import { describe, expect, it } from 'vitest';
import { AppState } from '../../../renderer/lib/app.svelte';
import { ApiError } from '../../../renderer/lib/call';
import { runCaseAction } from '../../../renderer/lib/case-action';
import { FakeApi } from '../fake-api';

describe('a case action and what the operator is told', () => {
  it('success: the message is a toast and an announcement; none when there is nothing to say', async () => {
    const app = new AppState(new FakeApi().api);
    await runCaseAction(app, 'add a note', async () => 3, (n) => `Note ${n} added`);
    expect(app.toasts.map((t) => [t.text, t.tone])).toEqual([['Note 3 added', 'success']]);
    await runCaseAction(app, 'add a tag', async () => 0, () => null);
    expect(app.toasts).toHaveLength(1);
  });

  it('a store-wide failure raises the banner; any other failure is an error toast naming the action', async () => {
    const app = new AppState(new FakeApi().api);
    await runCaseAction(app, 'save the note', async () => { throw new ApiError('read_only', 'The case store is read-only'); });
    expect(app.storeProblem).toMatchObject({ code: 'read_only', action: 'save the note' });
    await runCaseAction(app, 'close the case', async () => { throw new ApiError('conflict', 'changed since'); });
    expect(app.toasts.at(-1)).toMatchObject({ text: 'Could not close the case: changed since', tone: 'error' });
  });
});
