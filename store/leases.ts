/**
 * Leases: of the apps sharing a store, one at a time does a named job (the
 * desk's fetch of one IMAP mailbox: 'imap:USER@HOST/FOLDER'). The holder
 * renews its lease while it works; a lease not renewed by its expiry is free
 * for the next app, so a crashed holder blocks the job for one lease time at
 * most. Decided inside the store's write transaction (the write lock on both
 * backends), so two apps asking at once cannot both get it.
 */
import { StoreError } from './errors';
import { read, write, type StoreContext } from './transaction';

export interface Lease {
  name: string;
  holder: string;
  acquiredAt: number;
  expiresAt: number;
}

export type LeaseResult = { held: true; lease: Lease } | { held: false; lease: Lease };

interface LeaseRow { name: string; holder: string; acquired_at: number; expires_at: number }
const toLease = (r: LeaseRow): Lease => ({ name: r.name, holder: r.holder, acquiredAt: r.acquired_at, expiresAt: r.expires_at });

/**
 * Take or renew the lease `name` for `holder` (an id of this app: operator,
 * host and process) for `ttlMs`. `held: false` says who has it until when.
 */
export async function acquireLease(ctx: StoreContext, name: string, holder: string, ttlMs: number): Promise<LeaseResult> {
  if (!name || !holder || !(ttlMs > 0)) throw new StoreError('invalid', 'A lease needs a name, a holder and a time to live.');
  return write(ctx, async (tx) => {
    const now = ctx.now();
    const cur = await tx.get<LeaseRow>('SELECT * FROM leases WHERE name = ?', [name]);
    if (cur && cur.holder !== holder && cur.expires_at > now) return { held: false, lease: toLease(cur) };
    const acquiredAt = cur && cur.holder === holder && cur.expires_at > now ? cur.acquired_at : now;
    await tx.run(`INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
    [name, holder, acquiredAt, now + Math.trunc(ttlMs)]);
    return { held: true, lease: { name, holder, acquiredAt, expiresAt: now + Math.trunc(ttlMs) } };
  });
}

/** Give the lease up (only its holder can). */
export async function releaseLease(ctx: StoreContext, name: string, holder: string): Promise<void> {
  await write(ctx, (tx) => tx.run('DELETE FROM leases WHERE name = ? AND holder = ?', [name, holder]));
}

/** The lease as it stands (null: nobody holds it, or it expired). */
export async function leaseOf(ctx: StoreContext, name: string): Promise<Lease | null> {
  const r = await read(ctx, () => ctx.db.get<LeaseRow>('SELECT * FROM leases WHERE name = ?', [name]));
  return r && r.expires_at > ctx.now() ? toLease(r) : null;
}

export interface Leases {
  acquire(name: string, holder: string, ttlMs: number): Promise<LeaseResult>;
  release(name: string, holder: string): Promise<void>;
  of(name: string): Promise<Lease | null>;
}

/** The lease operations of a store (CaseStore.leases). */
export function leasesOf(ctx: StoreContext): Leases {
  return {
    acquire: (name, holder, ttlMs) => acquireLease(ctx, name, holder, ttlMs),
    release: (name, holder) => releaseLease(ctx, name, holder),
    of: (name) => leaseOf(ctx, name),
  };
}
