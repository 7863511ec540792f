import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CaseStore } from '../../store/case-store';
import { tempDir } from './helpers';

const JOB = 'imap:abuse@mail.example/INBOX';

describe('leases (SQLite)', () => {
  it('one holder at a time: the other is told who holds it until when; renewing keeps the start; an unrenewed lease lapses; only the holder releases', async () => {
    const { dir, cleanup } = await tempDir();
    let t = Date.parse('2026-03-03T07:00:00Z');
    const a = await CaseStore.open(join(dir, 'data'), { now: () => t });
    const b = await CaseStore.open(join(dir, 'data'), { now: () => t });
    try {
      const t0 = t;
      expect(await a.leases.acquire(JOB, 'app-a', 60_000)).toEqual({ held: true, lease: { name: JOB, holder: 'app-a', acquiredAt: t0, expiresAt: t0 + 60_000 } });
      expect(await b.leases.acquire(JOB, 'app-b', 60_000)).toEqual({ held: false, lease: { name: JOB, holder: 'app-a', acquiredAt: t0, expiresAt: t0 + 60_000 } });
      t += 30_000;
      expect(await a.leases.acquire(JOB, 'app-a', 60_000)).toEqual({ held: true, lease: { name: JOB, holder: 'app-a', acquiredAt: t0, expiresAt: t + 60_000 } });
      t += 60_001;
      expect(await b.leases.of(JOB)).toBeNull();
      expect(await b.leases.acquire(JOB, 'app-b', 60_000)).toMatchObject({ held: true, lease: { holder: 'app-b', acquiredAt: t } });
      await a.leases.release(JOB, 'app-a');
      expect(await a.leases.of(JOB)).toMatchObject({ holder: 'app-b' });
      await b.leases.release(JOB, 'app-b');
      expect(await a.leases.of(JOB)).toBeNull();
    } finally {
      await a.close();
      await b.close();
      await cleanup();
    }
  });

  it('refuses a lease without a name, a holder or a positive time to live', async () => {
    const { dir, cleanup } = await tempDir();
    const s = await CaseStore.open(join(dir, 'data'));
    try {
      for (const [n, h, ttl] of [['', 'x', 1], [JOB, '', 1], [JOB, 'x', 0]] as const) {
        await expect(s.leases.acquire(n, h, ttl)).rejects.toMatchObject({ code: 'invalid' });
      }
    } finally {
      await s.close();
      await cleanup();
    }
  });
});
