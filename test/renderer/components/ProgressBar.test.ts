import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ProgressBar from '../../../renderer/components/ProgressBar.svelte';

describe('a progress bar', () => {
  it('says how far in percent, kept within 0 and 100; without a value it is indeterminate', () => {
    render(ProgressBar, { props: { value: 0.426, label: 'Reading www-border.pcap' } });
    const bar = screen.getByRole('progressbar', { name: 'Reading www-border.pcap' });
    expect(bar.getAttribute('aria-valuenow')).toBe('43');
    expect(bar.querySelector('rect')!.getAttribute('width')).toBe('42.6%');
    render(ProgressBar, { props: { value: 1.7, label: 'over' } });
    expect(screen.getByRole('progressbar', { name: 'over' }).getAttribute('aria-valuenow')).toBe('100');
    render(ProgressBar, { props: { value: null, label: 'Waiting' } });
    const waiting = screen.getByRole('progressbar', { name: 'Waiting' });
    expect([waiting.getAttribute('aria-valuenow'), waiting.classList.contains('indeterminate')]).toEqual([null, true]);
  });
});
