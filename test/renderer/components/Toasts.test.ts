import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Toasts from '../../../renderer/components/Toasts.svelte';

describe('toasts', () => {
  it('shows each toast with its tone; an action runs and dismisses its toast', async () => {
    const runs: string[] = [];
    const dismissed: number[] = [];
    render(Toasts, { props: {
      toasts: [
        { id: 1, text: 'Case 7 closed', tone: 'success', action: { label: 'Undo', run: () => runs.push('undo') } },
        { id: 2, text: 'Could not save the note: read-only', tone: 'error' },
      ],
      ondismiss: (id: number) => dismissed.push(id),
    } });
    const toasts = screen.getAllByTestId('toast');
    expect(toasts.map((t) => t.querySelector('span[aria-hidden]')!.textContent)).toEqual(['Case 7 closed', 'Could not save the note: read-only']);
    expect([toasts[0].classList.contains('success'), toasts[1].classList.contains('error')]).toEqual([true, true]);
    expect(toasts[1].querySelector('button')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect([runs, dismissed]).toEqual([['undo'], [1]]);
  });
});
