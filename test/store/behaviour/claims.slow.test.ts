/**
 * Claims on SQLite and PostgreSQL alike: two operators' apps on one store;
 * a live claim refuses the other operator with who holds it, is taken over
 * only explicitly (audited), lapses after its idle time, and renewing keeps
 * it. Claims never move the case's version.
 */
import { describe, expect, it } from 'vitest';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { useBackends } from './backends';
import { corpusComplaints } from './scenario';

describe.skipIf(!!postgresSkip)(pgTitle('claims'), () => {
  const b = useBackends();

  it.each(['sqlite', 'postgres'] as const)('%s: claim, refuse, take over, lapse, release', async (name) => {
    const [mail] = await corpusComplaints(1);
    let t = Date.parse('2026-03-02T08:00:00Z');
    const now = (): number => t;
    const location = await b.location(name);
    const alice = await b.open(location, { operator: 'alice', now });
    const bob = await b.open(location, { operator: 'bob', now });
    try {
      const { case: c } = await alice.createOrFindCase({ complaintRaw: mail.raw, complaintName: mail.name, complaint: mail.complaint });
      expect(await bob.claimOf(c.id)).toBeNull();
      expect(await alice.claim(c.id, { idleMs: 600_000 })).toEqual({ caseId: c.id, operator: 'alice', claimedAt: t, lastSeenAt: t, expiresAt: t + 600_000 });
      expect(await bob.claimOf(c.id)).toMatchObject({ operator: 'alice' });

      t += 300_000;
      const refused = await bob.claim(c.id).catch((e: unknown) => e) as { code: string; message: string };
      expect(refused.code).toBe('conflict');
      expect(refused.message).toContain('being worked on by alice');
      expect(refused.message).toContain('lapses at 2026-03-02T08:10:00.000Z');
      // Alice is still at it: her claim is renewed from now.
      expect(await alice.claim(c.id, { idleMs: 600_000 })).toMatchObject({ operator: 'alice', expiresAt: t + 600_000 });

      expect(await bob.claim(c.id, { takeOver: true })).toMatchObject({ operator: 'bob' });
      await expect(alice.claim(c.id)).rejects.toMatchObject({ code: 'conflict' });

      t += 15 * 60_000 + 1; // bob's default idle time passes without activity
      expect(await alice.claimOf(c.id)).toBeNull();
      expect(await alice.claim(c.id)).toMatchObject({ operator: 'alice' });
      await bob.releaseClaim(c.id); // not his any more: nothing happens
      expect(await bob.claimOf(c.id)).toMatchObject({ operator: 'alice' });
      await alice.releaseClaim(c.id);
      expect(await bob.claimOf(c.id)).toBeNull();

      const detail = await bob.getCase(c.id);
      expect(detail.version).toBe(1);
      expect(detail.audit.map((a) => [a.action, a.operator])).toEqual([
        ['created', 'alice'], ['claimed', 'alice'], ['claim_taken_over', 'bob'], ['claimed', 'alice'], ['claim_released', 'alice'],
      ]);
      expect(detail.audit[2].detail).toContain('claim of alice');
      expect(detail.audit[3].detail).toContain('the claim of bob had lapsed');
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
