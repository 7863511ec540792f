import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../../analysis/case-vocabulary';
import StatusPill from '../../../renderer/components/StatusPill.svelte';
import { STATUS_LABEL } from '../../../renderer/lib/history.svelte';

describe('a case status pill', () => {
  it.each(CASE_STATUSES)('%s: its label and a class of its own', (status) => {
    const { container } = render(StatusPill, { props: { status } });
    const pill = container.querySelector('.pill')!;
    expect([pill.textContent, pill.getAttribute('data-status'), pill.classList.contains(status)]).toEqual([STATUS_LABEL[status], status, true]);
  });
});
