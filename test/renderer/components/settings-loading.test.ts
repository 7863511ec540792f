/**
 * A settings form whose stored values are still on their way keeps its
 * controls disabled, so what the operator types is not overwritten when they
 * arrive; once they have arrived (or failed to), the form is editable and
 * shows them.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DeskSettings from '../../../renderer/components/DeskSettings.svelte';
import ImapSettings from '../../../renderer/components/ImapSettings.svelte';
import ReplySettings from '../../../renderer/components/ReplySettings.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import type { ChannelName, Result } from '../../../electron/common/contract';
import { FakeApi } from '../fake-api';

/** Holds the answer to `channel` until release() is called. */
function held(fake: FakeApi, channel: ChannelName, value: () => Result<unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  fake.handlers[channel] = async () => {
    await gate;
    return value();
  };
  return () => release();
}

const FORMS = [
  {
    name: 'Replies', component: ReplySettings, testId: 'reply-settings', channel: 'reply:getSettings' as const, label: "From (the desk's address)",
    stored: { fromAddress: 'Example NOC <abuse@example.net>', signature: '', smtp: null }, shown: 'Example NOC <abuse@example.net>',
  },
  {
    name: 'Desk', component: DeskSettings, testId: 'desk-settings', channel: 'desk:get' as const, label: 'Your name on the desk',
    stored: {
      operator: 'alice', defaultOperator: 'alice', operatorSet: true, claimIdleMinutes: 15, store: null, hasStorePassword: false, passwordStorage: 'none',
      openStore: { shown: '/tmp/desk', kind: 'sqlite', from: 'data-dir' }, restartNeeded: false,
    },
    shown: 'alice',
  },
  {
    name: 'IMAP', component: ImapSettings, testId: 'imap-settings', channel: 'imap:getAccount' as const, label: 'Server',
    stored: {
      host: 'imap.example.net', port: 993, tls: true, allowPlaintextLogin: false, user: 'abuse@example.net', folder: 'INBOX', markSeen: false,
      intervalMinutes: 5, hasPassword: true, passwordStorage: 'aes-file', lastFetch: null,
    },
    shown: 'imap.example.net',
  },
];

describe.each(FORMS)('the $name settings form', ({ component, testId, channel, label, stored, shown }) => {
  it('is disabled until its stored values arrive, then shows them', async () => {
    const fake = new FakeApi();
    const release = held(fake, channel, () => ({ ok: true, value: structuredClone(stored) }));
    render(component, { props: { app: new AppState(fake.api) } });
    const form = await screen.findByTestId(testId);
    const field = within(form).getByLabelText(label) as HTMLInputElement;
    expect(field.matches(':disabled')).toBe(true);
    expect(within(form).getAllByRole('button').every((b) => (b as HTMLButtonElement).matches(':disabled'))).toBe(true);
    release();
    await waitFor(() => expect(field.matches(':disabled')).toBe(false));
    expect(field.value).toBe(shown);
    await fireEvent.input(field, { target: { value: 'typed after loading' } });
    expect(field.value).toBe('typed after loading');
  });

  it('is editable when the stored values cannot be read, and says why', async () => {
    const fake = new FakeApi();
    const release = held(fake, channel, () => ({ ok: false, error: { code: 'internal', message: 'data folder unreadable' } }));
    render(component, { props: { app: new AppState(fake.api) } });
    const form = await screen.findByTestId(testId);
    release();
    const field = within(form).getByLabelText(label) as HTMLInputElement;
    await waitFor(() => expect(form.textContent).toContain('data folder unreadable'));
    expect(field.matches(':disabled')).toBe(false);
  });
});
