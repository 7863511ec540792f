import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import { FakeApi } from '../fake-api';

describe('IMAP settings: the cleartext-login opt-in', () => {
  it('is offered only without TLS, off by default, and saved as ticked', async () => {
    const fake = new FakeApi().scriptQueue();
    const app = new AppState(fake.api);
    render(App, { props: { app } });
    app.go('settings');
    const form = await screen.findByTestId('imap-settings');
    expect(within(form).queryByLabelText(/unencrypted/)).toBeNull();
    await fireEvent.input(within(form).getByLabelText('Server'), { target: { value: 'imap.example.net' } });
    await fireEvent.input(within(form).getByLabelText('User'), { target: { value: 'abuse@example.net' } });
    await fireEvent.input(within(form).getByLabelText('Password'), { target: { value: 'pw-123' } });
    await fireEvent.click(within(form).getByLabelText('TLS (imaps)'));
    const optIn = within(form).getByLabelText('Allow unencrypted login (unsafe)') as HTMLInputElement;
    expect(optIn.checked).toBe(false);
    expect(optIn.getAttribute('aria-describedby')).toBe('imap-plain-hint');
    expect(within(form).getByText(/anyone on the path can then read the password/)).toBeTruthy();

    await fireEvent.click(within(form).getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(fake.callsTo('imap:setAccount')).toHaveLength(1));
    expect(fake.callsTo('imap:setAccount')[0]).toMatchObject({ tls: false, port: 143, allowPlaintextLogin: false });

    await fireEvent.click(optIn);
    await fireEvent.click(within(form).getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(fake.callsTo('imap:setAccount')).toHaveLength(2));
    expect(fake.callsTo('imap:setAccount')[1]).toMatchObject({ tls: false, allowPlaintextLogin: true });
    // Saved as shown: Test does not save again.
    await fireEvent.click(within(form).getByRole('button', { name: /Test/ }));
    await waitFor(() => expect(within(form).getByTestId('imap-status').textContent).toContain('INBOX has 12 messages'));
    expect(fake.callsTo('imap:setAccount')).toHaveLength(2);
  });
});

describe('IMAP settings: Test uses what is on screen', () => {
  it('sends the unsaved account and password with the test and saves nothing', async () => {
    const fake = new FakeApi().scriptQueue();
    const app = new AppState(fake.api);
    render(App, { props: { app } });
    app.go('settings');
    const form = await screen.findByTestId('imap-settings');
    await fireEvent.input(within(form).getByLabelText('Server'), { target: { value: 'imap.example.net' } });
    await fireEvent.input(within(form).getByLabelText('User'), { target: { value: 'abuse@example.net' } });
    await fireEvent.input(within(form).getByLabelText('Password'), { target: { value: 'typed-pw' } });
    await fireEvent.click(within(form).getByRole('button', { name: /Test/ }));
    await waitFor(() => expect(within(form).getByTestId('imap-status').textContent).toContain('not saved yet'));
    expect(fake.callsTo('imap:setAccount')).toHaveLength(0);
    expect(fake.callsTo('imap:test')).toEqual([{
      account: { host: 'imap.example.net', port: 993, tls: true, user: 'abuse@example.net', folder: 'INBOX', markSeen: false, intervalMinutes: 15, password: 'typed-pw' },
    }]);
  });
});

describe('IMAP settings', () => {
  it('saves the account, never shows the password again, tests and fetches', async () => {
    const fake = new FakeApi().scriptQueue();
    const app = new AppState(fake.api);
    render(App, { props: { app } });
    app.go('settings');
    const form = await screen.findByTestId('imap-settings');
    await fireEvent.input(within(form).getByLabelText('Server'), { target: { value: 'imap.example.net' } });
    await fireEvent.input(within(form).getByLabelText('User'), { target: { value: 'abuse@example.net' } });
    await fireEvent.input(within(form).getByLabelText('Password'), { target: { value: 'pw-123' } });
    await fireEvent.input(within(form).getByLabelText(/Fetch every/), { target: { value: '10' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(fake.callsTo('imap:setAccount')).toEqual([{
      host: 'imap.example.net', port: 993, tls: true, user: 'abuse@example.net', folder: 'INBOX', markSeen: false, intervalMinutes: 10, password: 'pw-123',
    }]));
    await waitFor(() => expect((within(form).getByLabelText('Password') as HTMLInputElement).value).toBe(''));
    expect((within(form).getByLabelText('Password') as HTMLInputElement).placeholder).toMatch(/stored/);
    await fireEvent.click(within(form).getByRole('button', { name: /Test/ }));
    await waitFor(() => expect(within(form).getByTestId('imap-status').textContent).toContain('INBOX has 12 messages'));
    expect(fake.callsTo('imap:setAccount')).toHaveLength(1); // nothing changed: not saved again
    await fireEvent.click(within(form).getByRole('button', { name: /Fetch now/ }));
    await waitFor(() => expect(within(form).getByTestId('imap-status').textContent).toContain('Fetched 3 messages: 2 new cases'));
    // Unticking TLS moves the port to 143.
    await fireEvent.click(within(form).getByLabelText(/TLS/));
    expect((within(form).getByLabelText('Port') as HTMLInputElement).value).toBe('143');
  });
});
