import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import VerdictBanner from '../../../renderer/components/VerdictBanner.svelte';
import type { AnalysisResult } from '../../../renderer/lib/types';
import { casesDir, repoRoot } from '../../helpers/paths';
import { loadResult } from '../fake-api';

/**
 * "Inconclusive" beside "80% confidence" read as a contradiction: the banner
 * says what an inconclusive verdict's number is in. A real engine result: the
 * backscatter example's complaint with no evidence, through the CLI (the
 * renderer's type check does not reach the engine's readers).
 */
describe('the verdict banner\'s confidence', () => {
  it('an inconclusive verdict: the percentage is how sure nothing settles it, not a confidence', async () => {
    const complaint = join(casesDir, 'seed001-synflood-backscatter', 'complaint.txt');
    const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'abuse-desk.mjs'), 'analyze', '--complaint', complaint, '--our-net', '198.51.100.0/24', '--json'], { encoding: 'utf8' });
    const result = JSON.parse(out) as AnalysisResult;
    expect(result.verdict).toBe('inconclusive');
    render(VerdictBanner, { props: { result } });
    const banner = screen.getByTestId('verdict-banner');
    expect(banner.textContent).toContain(`${Math.round(result.confidence * 100)}%`);
    expect(screen.getByTestId('confidence-caption').textContent).toBe('sure nothing settles it');
    expect(banner.textContent).not.toMatch(/confidence/i);
    expect(screen.getByRole('meter').getAttribute('aria-label')).toBe('sure nothing settles it');
  });

  it('a decided verdict keeps "confidence"', () => {
    render(VerdictBanner, { props: { result: loadResult('seed001-synflood-backscatter') } });
    expect(screen.getByTestId('confidence-caption').textContent).toBe('confidence');
  });
});
