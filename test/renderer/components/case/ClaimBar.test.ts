import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../../../renderer/App.svelte';
import { AppState } from '../../../../renderer/lib/app.svelte';
import { untilText } from '../../../../renderer/lib/desk.svelte';
import type { Claim } from '../../../../electron/common/contract';
import { FakeApi } from '../../fake-api';

const MIN = 60_000;

/** A desk of two: this window is alice's; bob may hold claims. The fake store keeps one claim per case. */
function desk(holder: string | null) {
  const fake = new FakeApi().scriptQueue();
  const d = fake.addCase({ id: 7, status: 'analysed' });
  fake.queueInfo.set(d.id, { queueClass: 'false-positive', rankReason: 'likely backscatter' });
  const now = Date.now();
  const claims = new Map<number, Claim>();
  if (holder) claims.set(7, { caseId: 7, operator: holder, claimedAt: now - 5 * MIN, lastSeenAt: now - MIN, expiresAt: now + 14 * MIN });
  fake.handlers['desk:get'] = () => ({ ok: true, value: { operator: 'alice', defaultOperator: 'alice', operatorSet: false, claimIdleMinutes: 15, restartNeeded: false } });
  fake.handlers['claims:get'] = (r) => ({ ok: true, value: claims.get((r as { id: number }).id) ?? null });
  fake.handlers['claims:claim'] = (r) => {
    const { id, takeOver } = r as { id: number; takeOver?: boolean };
    const held = claims.get(id);
    if (held && held.operator !== 'alice' && !takeOver) return { ok: false, error: { code: 'conflict', message: `Case ${id} is being worked on by ${held.operator}` } };
    const c = { caseId: id, operator: 'alice', claimedAt: Date.now(), lastSeenAt: Date.now(), expiresAt: Date.now() + 15 * MIN };
    claims.set(id, c);
    return { ok: true, value: c };
  };
  fake.handlers['claims:release'] = (r) => { claims.delete((r as { id: number }).id); return { ok: true, value: null }; };
  const app = new AppState(fake.api);
  render(App, { props: { app } });
  return { fake, app, claims };
}

describe('claim bar on the case page', () => {
  it('claims the case it opens for this operator, and releases it on request', async () => {
    const { fake, app, claims } = desk(null);
    await app.openCase(7);
    const bar = await screen.findByTestId('claim-bar');
    await waitFor(() => expect(bar.textContent).toMatch(/You are working on this case/));
    expect(fake.callsTo('claims:claim')).toEqual([{ id: 7, takeOver: false }]);
    expect(claims.get(7)?.operator).toBe('alice');
    await fireEvent.click(screen.getByRole('button', { name: 'Release' }));
    await waitFor(() => expect(screen.getByTestId('claim-bar').textContent).toMatch(/Nobody is working on this case/));
    expect(claims.has(7)).toBe(false);
  });

  it("shows a colleague's claim with their name and until when, and takes it over only on the button", async () => {
    const { fake, app, claims } = desk('bob');
    const expires = claims.get(7)!.expiresAt;
    await app.openCase(7);
    // The time alone today (UTC), with the date when the claim runs past midnight: untilText decides, as the bar does.
    await waitFor(() => expect(screen.getByTestId('claim-bar').textContent).toContain(`Claimed by bob until ${untilText(expires)}`));
    expect(claims.get(7)?.operator).toBe('bob');
    await fireEvent.click(screen.getByTestId('take-over'));
    await waitFor(() => expect(screen.getByTestId('claim-bar').textContent).toMatch(/You are working on this case/));
    expect(fake.callsTo('claims:claim').at(-1)).toEqual({ id: 7, takeOver: true });
    expect(claims.get(7)?.operator).toBe('alice');
  });

  it('only reads the claim of a closed case', async () => {
    const { fake, app } = desk(null);
    fake.cases.get(7)!.status = 'closed';
    await app.openCase(7);
    await waitFor(() => expect(screen.getByTestId('claim-bar').textContent).toMatch(/Nobody is working on this case \(it is closed\)/));
    expect(fake.callsTo('claims:claim')).toEqual([]);
  });
});

describe('claim badge on a queue row', () => {
  it("says who holds the case until when, and 'You' for this operator's claim", async () => {
    const { fake, app } = desk(null);
    fake.addCase({ id: 8, status: 'new' });
    fake.queueInfo.set(8, { queueClass: 'false-positive', rankReason: 'likely backscatter' });
    const list = fake.handlers['queue:list']!;
    const now = Date.now();
    const held: Record<number, Claim> = {
      7: { caseId: 7, operator: 'bob', claimedAt: now, lastSeenAt: now, expiresAt: now + 15 * MIN },
      8: { caseId: 8, operator: 'alice', claimedAt: now, lastSeenAt: now, expiresAt: now + 15 * MIN },
    };
    fake.handlers['queue:list'] = async (r) => {
      const page = await list(r) as { ok: true; value: { items: Array<{ id: number; claim?: Claim }> } };
      for (const i of page.value.items) if (held[i.id]) i.claim = held[i.id];
      return page;
    };
    app.go('queue');
    await app.queue.load();
    await waitFor(() => expect(screen.getAllByTestId('claim-badge')).toHaveLength(2));
    const [bob, mine] = screen.getAllByTestId('claim-badge');
    expect(bob.textContent).toBe(`Claimed by bob until ${untilText(now + 15 * MIN)}`);
    await waitFor(() => expect(mine.textContent).toBe(`You · until ${untilText(now + 15 * MIN)}`));
  });
});
