import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ClaimBadge from '../../../renderer/components/ClaimBadge.svelte';
import { desk, untilText } from '../../../renderer/lib/desk.svelte';
import type { Claim } from '../../../electron/common/contract';

const now = Date.now();
const claim = (operator: string): Claim => ({ caseId: 4, operator, claimedAt: now - 60_000, lastSeenAt: now, expiresAt: now + 15 * 60_000 });
const me = (operator: string) => {
  desk.view = { operator, defaultOperator: operator, operatorSet: false, claimIdleMinutes: 15, store: null, hasStorePassword: false,
    passwordStorage: 'none', openStore: { shown: '/d', kind: 'sqlite', from: 'data-dir' }, restartNeeded: false };
};

describe('claim badge', () => {
  it("names a colleague's claim and until when, with when it was taken in its title", () => {
    me('alice');
    render(ClaimBadge, { props: { claim: claim('bob') } });
    const badge = screen.getByTestId('claim-badge');
    expect(badge.textContent).toBe(`Claimed by bob until ${untilText(now + 15 * 60_000)}`);
    expect(badge.classList.contains('mine')).toBe(false);
    expect(badge.getAttribute('title')).toMatch(/^Claimed \d{4}-\d\d-\d\d \d\d:\d\d UTC; lapses at .* unless renewed$/);
  });

  it("says 'You' for this window's operator", () => {
    me('bob');
    render(ClaimBadge, { props: { claim: claim('bob') } });
    const badge = screen.getByTestId('claim-badge');
    expect(badge.textContent).toBe(`You · until ${untilText(now + 15 * 60_000)}`);
    expect(badge.classList.contains('mine')).toBe(true);
  });
});
