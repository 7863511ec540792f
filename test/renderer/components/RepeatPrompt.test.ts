import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import RepeatPrompt from '../../../renderer/components/RepeatPrompt.svelte';

const earlier = { id: 12, status: 'analysed' as const, subject: 'portscan from 198.51.100.80', verdict: 'backscatter' as const, confidence: 0.9 };

describe('asking about a complaint stored before', () => {
  it('an open case: add the run to it, or a new linked case, or cancel', async () => {
    const answers: string[] = [];
    render(RepeatPrompt, { props: { earlier, onanswer: (c: string) => answers.push(c) } });
    expect(screen.getByRole('dialog', { name: /This complaint is already case 12/ })).toBeTruthy();
    expect(screen.getByTestId('repeat-prompt').textContent).toContain('verdict Backscatter · 90%');
    await fireEvent.click(screen.getByRole('button', { name: 'Add to case 12' }));
    await fireEvent.click(screen.getByRole('button', { name: 'New linked case' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(answers).toEqual(['join', 'new', 'cancel']);
  });

  it('an answered case is not joined: a new case or reopening it', async () => {
    const answers: string[] = [];
    render(RepeatPrompt, { props: { earlier: { ...earlier, status: 'replied' as const }, onanswer: (c: string) => answers.push(c) } });
    expect(screen.queryByRole('button', { name: /Add to case/ })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Reopen case 12' }));
    expect(answers).toEqual(['reopen']);
  });
});
