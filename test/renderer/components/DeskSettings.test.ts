import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DeskSettings from '../../../renderer/components/DeskSettings.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import type { DeskView } from '../../../electron/common/contract';
import { FakeApi } from '../fake-api';

/** The desk channels over one stored view, as the host answers them (a saved store or name waits for the next start). */
function desk() {
  const fake = new FakeApi();
  let view: DeskView = {
    operator: 'alice', defaultOperator: 'alice', operatorSet: false, claimIdleMinutes: 15, store: null, hasStorePassword: false, passwordStorage: 'none',
    openStore: { shown: '/home/alice/.local/share/abuse-desk', kind: 'sqlite', from: 'data-dir' }, restartNeeded: false,
  };
  fake.handlers['desk:get'] = () => ({ ok: true, value: structuredClone(view) });
  fake.handlers['desk:set'] = (r) => {
    const q = r as { operator?: string | null; claimIdleMinutes?: number; store?: string | null; storePassword?: string; clearStorePassword?: boolean };
    view = {
      ...view, operatorSet: q.operator != null, claimIdleMinutes: q.claimIdleMinutes ?? view.claimIdleMinutes, store: q.store ?? null,
      hasStorePassword: q.storePassword ? true : q.clearStorePassword ? false : view.hasStorePassword, restartNeeded: true,
    };
    view.passwordStorage = view.hasStorePassword ? 'aes-file' : 'none';
    return { ok: true, value: structuredClone(view) };
  };
  render(DeskSettings, { props: { app: new AppState(fake.api) } });
  return { fake };
}

describe('desk settings', () => {
  it('saves a name, the idle time and the shared database with its password in its own field', async () => {
    const { fake } = desk();
    const name = await screen.findByLabelText('Your name on the desk') as HTMLInputElement;
    await waitFor(() => expect(name.placeholder).toBe('alice (the system user)'));
    expect(screen.getByTestId('desk-open-store').textContent).toMatch(/Open now: \/home\/alice\/\.local\/share\/abuse-desk \(this machine, chosen by the data folder\)/);
    await fireEvent.input(name, { target: { value: 'Alice Ops' } });
    await fireEvent.input(screen.getByLabelText(/A claim lapses after/), { target: { value: '30' } });
    await fireEvent.click(screen.getByLabelText(/shared PostgreSQL database/));
    const save = screen.getByRole('button', { name: 'Save desk settings' }) as HTMLButtonElement;
    // A password in the address is refused before anything is sent.
    await fireEvent.input(screen.getByLabelText('Database address'), { target: { value: 'postgres://desk:S3cret@db.example.net/abuse' } });
    expect(screen.getByTestId('desk-settings-status').textContent).toMatch(/Put the password in its own field/);
    expect(save.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Database address'), { target: { value: 'postgres://desk@db.example.net:5432/abuse' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'S3cret' } });
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    await waitFor(() => expect(fake.callsTo('desk:set')).toHaveLength(1));
    expect(fake.callsTo('desk:set')[0]).toEqual({ operator: 'Alice Ops', claimIdleMinutes: 30, store: 'postgres://desk@db.example.net:5432/abuse', storePassword: 'S3cret' });
    await waitFor(() => expect(screen.getByTestId('desk-settings-status').textContent).toMatch(/apply when the app starts again/));
    expect((screen.getByLabelText('Password') as HTMLInputElement).placeholder).toBe('stored — leave empty to keep it');
  });

  it('back to this machine forgets the stored password; an empty name is the system user again', async () => {
    const { fake } = desk();
    await fireEvent.click(await screen.findByLabelText(/shared PostgreSQL database/));
    await fireEvent.input(screen.getByLabelText('Database address'), { target: { value: 'postgres://desk@db.example.net/abuse' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save desk settings' }));
    await waitFor(() => expect(fake.callsTo('desk:set')).toHaveLength(1));
    await fireEvent.click(screen.getByLabelText('On this machine'));
    await fireEvent.click(screen.getByRole('button', { name: 'Save desk settings' }));
    await waitFor(() => expect(fake.callsTo('desk:set')).toHaveLength(2));
    expect(fake.callsTo('desk:set')[1]).toEqual({ operator: null, claimIdleMinutes: 15, store: null, clearStorePassword: true });
  });
});
