import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import { FakeApi } from '../fake-api';

/** History with 30 stored cases (newest first: #30 on top). */
async function history() {
  const fake = new FakeApi();
  for (let id = 1; id <= 30; id++) fake.addCase({ id, subject: `scan ${id}` });
  const app = new AppState(fake.api);
  render(App, { props: { app } });
  app.go('history');
  await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(30));
  return { fake, app, list: screen.getByTestId('history-list') };
}

const current = (list: HTMLElement) => list.getAttribute('aria-activedescendant');

describe('the paged list (History and Queue)', () => {
  it('jumps with Home, End, PageDown and PageUp', async () => {
    const { list } = await history();
    expect(current(list)).toBe('case-row-30');
    await fireEvent.keyDown(list, { key: 'End' });
    expect(current(list)).toBe('case-row-1');
    await fireEvent.keyDown(list, { key: 'Home' });
    expect(current(list)).toBe('case-row-30');
    // jsdom lays nothing out: a page is 10 rows there.
    await fireEvent.keyDown(list, { key: 'PageDown' });
    expect(current(list)).toBe('case-row-20');
    await fireEvent.keyDown(list, { key: 'PageDown' });
    await fireEvent.keyDown(list, { key: 'PageDown' });
    expect(current(list)).toBe('case-row-1');
    await fireEvent.keyDown(list, { key: 'PageUp' });
    expect(current(list)).toBe('case-row-11');
    expect(screen.getAllByTestId('history-row')[19].getAttribute('aria-selected')).toBe('true');
  });

  it('leaves keys alone in a text field, with a modifier, and Enter on a button', async () => {
    const { app, list } = await history();
    await fireEvent.keyDown(screen.getByLabelText('Search cases'), { key: 'End' });
    await fireEvent.keyDown(list, { key: 'j', ctrlKey: true });
    expect(current(list)).toBe('case-row-30');
    await fireEvent.keyDown(screen.getByRole('button', { name: 'New', pressed: false }), { key: 'Enter' });
    expect(app.view).toBe('history');
    await fireEvent.keyDown(list, { key: 'j' });
    await fireEvent.keyDown(list, { key: 'Enter' });
    await waitFor(() => expect(app.view).toBe('case'));
    expect(app.casePage.id).toBe(29);
  });
});
