import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ShortcutHelp from '../../../renderer/components/ShortcutHelp.svelte';
import { SHORTCUTS } from '../../../renderer/lib/shortcuts';

describe('the shortcut list', () => {
  it('lists every shortcut with its keys and what it does, and closes by its button', async () => {
    let closed = 0;
    render(ShortcutHelp, { props: { onclose: () => { closed++; } } });
    const rows = screen.getByRole('dialog', { name: 'Keyboard shortcuts' }).querySelectorAll('tbody tr');
    expect(rows).toHaveLength(SHORTCUTS.length);
    rows.forEach((r, i) => {
      expect([...r.querySelectorAll('kbd')].map((k) => k.textContent)).toEqual(SHORTCUTS[i].keys);
      expect(r.textContent).toContain(SHORTCUTS[i].description);
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(closed).toBe(1);
  });
});
