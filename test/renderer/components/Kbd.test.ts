import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Kbd from '../../../renderer/components/Kbd.svelte';
import { keysOf } from '../../../renderer/lib/shortcuts';

describe('a keyboard shortcut', () => {
  it('shows the keys of an action as the shortcut table has them, or the keys given, hidden from screen readers', () => {
    const { container } = render(Kbd, { props: { action: 'analyse' } });
    expect([...container.querySelectorAll('kbd')].map((k) => k.textContent)).toEqual(keysOf('analyse'));
    expect(keysOf('analyse').length).toBeGreaterThan(0);
    expect(container.querySelector('.kbd')!.getAttribute('aria-hidden')).toBe('true');
    const given = render(Kbd, { props: { keys: ['j', 'k'] } });
    expect([...given.container.querySelectorAll('kbd')].map((k) => k.textContent)).toEqual(['j', 'k']);
  });
});
