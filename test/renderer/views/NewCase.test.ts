import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/App.svelte';
import { AppState } from '../../../renderer/lib/app.svelte';
import { FakeApi } from '../fake-api';

describe('New case\'s Analyse button', () => {
  it('says why it is disabled while the complaint is empty, and nothing once there is one', async () => {
    const app = new AppState(new FakeApi().api);
    render(App, { props: { app } });
    app.go('new');
    const button = await screen.findByRole('button', { name: /^Analyse/ }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const why = screen.getByTestId('analyse-blocked');
    expect(why.textContent).toBe('Paste or open a complaint first: Analyse needs its text.');
    expect(button.getAttribute('aria-describedby')).toBe(why.id);
    // Blanks are no complaint.
    await fireEvent.input(screen.getByLabelText('Complaint'), { target: { value: '   \n ' } });
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Complaint'), { target: { value: 'Port scan from 198.51.100.80 at 2025-12-18 00:40 UTC' } });
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(screen.queryByTestId('analyse-blocked')).toBeNull();
    expect(button.hasAttribute('aria-describedby')).toBe(false);
  });
});
