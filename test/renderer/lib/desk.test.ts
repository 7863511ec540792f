import { describe, expect, it } from 'vitest';
import { claimText, desk, untilText } from '../../../renderer/lib/desk.svelte';
import type { Claim } from '../../../electron/common/contract';
import { FakeApi } from '../fake-api';

const MIN = 60_000;

describe('desk state', () => {
  it('loads who this window works as once, again on request; a failure leaves it unknown and tries again next time', async () => {
    const fake = new FakeApi();
    fake.handlers['desk:get'] = () => ({ ok: false, error: { code: 'store_unavailable', message: 'no store' } });
    desk.view = null;
    await desk.load(fake.api, true);
    expect(desk.operator).toBeNull();
    const view = { operator: 'alice', defaultOperator: 'alice', operatorSet: false, claimIdleMinutes: 15, store: null, hasStorePassword: false,
      passwordStorage: 'none' as const, openStore: { shown: '/d', kind: 'sqlite' as const, from: 'data-dir' as const }, restartNeeded: false };
    fake.handlers['desk:get'] = () => ({ ok: true, value: structuredClone(view) });
    await Promise.all([desk.load(fake.api), desk.load(fake.api)]);
    expect(desk.operator).toBe('alice');
    expect(fake.callsTo('desk:get')).toHaveLength(2); // the failed one, then one for both
    view.operator = 'dana';
    await desk.load(fake.api);
    expect(desk.operator).toBe('alice');
    await desk.load(fake.api, true);
    expect(desk.operator).toBe('dana');
  });
});

describe('claim words', () => {
  const now = Date.UTC(2026, 2, 2, 10, 0);
  const claim: Claim = { caseId: 1, operator: 'bob', claimedAt: now, lastSeenAt: now, expiresAt: now + 15 * MIN };
  it('say whose claim it is and until when (the time alone today, with the date otherwise)', () => {
    expect(claimText(claim, 'alice', now)).toBe('Claimed by bob until 10:15 UTC');
    expect(claimText(claim, 'bob', now)).toBe('You · until 10:15 UTC');
    expect(claimText(claim, null, now)).toBe('Claimed by bob until 10:15 UTC');
    expect(untilText(now + 20 * 60 * MIN, now)).toBe('2026-03-03 06:00 UTC');
  });
});
