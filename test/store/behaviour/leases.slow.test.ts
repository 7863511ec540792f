/**
 * Leases on SQLite and PostgreSQL alike: of three apps asking for the same
 * mailbox's lease at once, exactly one gets it; the others are told who has
 * it until when; the holder renews it; once it expires unrenewed (a crashed
 * app) the next one gets it; releasing frees it.
 */
import { describe, expect, it } from 'vitest';
import { pgTitle, postgresSkip } from '../../helpers/postgres';
import { useBackends } from './backends';

describe.skipIf(!!postgresSkip)(pgTitle('leases'), () => {
  const b = useBackends();

  it.each(['sqlite', 'postgres'] as const)('%s: one holder at a time, told apart, renewed, expired, released', async (name) => {
    let t = Date.parse('2026-03-03T07:00:00Z');
    const now = (): number => t;
    const location = await b.location(name);
    // Opened one after the other (a fresh SQLite folder is migrated by the first); they then ask at once.
    const apps = [];
    for (let i = 0; i < 3; i++) apps.push(await b.open(location, { now }));
    const job = 'imap:abuse@mail.example/INBOX';
    try {
      const results = await Promise.all(apps.map((s, i) => s.leases.acquire(job, `app-${i}`, 60_000)));
      const winners = results.filter((r) => r.held);
      expect(winners).toHaveLength(1);
      const holder = winners[0].lease.holder;
      for (const r of results.filter((x) => !x.held)) expect(r.lease).toEqual({ name: job, holder, acquiredAt: t, expiresAt: t + 60_000 });

      t += 30_000;
      const mine = apps[Number(holder.slice(4))];
      expect(await mine.leases.acquire(job, holder, 60_000)).toEqual({ held: true, lease: { name: job, holder, acquiredAt: t - 30_000, expiresAt: t + 60_000 } });
      const other = holder === 'app-0' ? 'app-1' : 'app-0';
      t += 59_000;
      expect((await apps[0].leases.acquire(job, other, 60_000)).held).toBe(false);
      t += 2_000; // the holder stopped renewing
      expect(await apps[0].leases.of(job)).toBeNull();
      expect(await apps[0].leases.acquire(job, other, 60_000)).toMatchObject({ held: true, lease: { holder: other } });
      await apps[2].leases.release(job, holder); // not the holder any more: nothing happens
      expect(await apps[2].leases.of(job)).toMatchObject({ holder: other });
      await apps[2].leases.release(job, other);
      expect(await apps[1].leases.of(job)).toBeNull();
    } finally {
      for (const s of apps) await s.close();
    }
  });
});
