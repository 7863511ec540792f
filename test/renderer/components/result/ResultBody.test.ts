import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ResultBody from '../../../../renderer/components/result/ResultBody.svelte';
import { loadResult } from '../../fake-api';

describe('the body of a result', () => {
  it.each(['seed001-synflood-backscatter', 'seed003-udp770-compromise'])('%s: every finding\'s summary is shown, and no packet opens without a stored case', (name) => {
    const result = loadResult(name);
    render(ResultBody, { props: { result } });
    for (const f of result.findings) expect(document.body.textContent).toContain(f.summary);
    expect(screen.queryAllByTestId('open-packet')).toEqual([]);
  });
});
