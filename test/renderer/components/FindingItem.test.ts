import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FindingItem from '../../../renderer/components/FindingItem.svelte';
import { loadResult } from '../fake-api';

describe('a finding\'s panel', () => {
  it('shows its facts as labelled values, without empty ones (the worm example\'s sensor replay)', async () => {
    const result = loadResult('seed003-udp770-compromise');
    const finding = result.findings.find((f) => Object.values(f.facts ?? {}).some((v) => v === '' || (Array.isArray(v) && !v.length)))!;
    expect(finding).toBeDefined();
    render(FindingItem, { props: { finding, index: 0 } });
    await fireEvent.click(screen.getByRole('button'));
    const labels = [...document.querySelectorAll('.facts dt')].map((e) => e.textContent ?? '');
    const values = [...document.querySelectorAll('.facts dd')].map((e) => e.textContent ?? '');
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l).not.toMatch(/[a-z][A-Z]/);
    for (const v of values) expect(v.trim()).not.toBe('');
    const empty = Object.entries(finding.facts ?? {}).filter(([, v]) => v === '' || (Array.isArray(v) && !v.length)).map(([k]) => k);
    for (const k of empty) expect(labels.join('|')).not.toContain(k);
  });
});
