/**
 * Several operators on one case history: claims (the case page claims the
 * case it opens; the queue shows who works on which row) and the desk
 * settings (who this app records changes as, how long an idle claim stands,
 * which store it opens: this machine's, or the desk's shared PostgreSQL
 * database with its password kept like the IMAP one). Collected into the
 * contract's `channels` table.
 */
import { z } from 'zod';
import type { Claim } from '../../store/claims';
import { channel } from './channel';

export type { Claim };

/** The desk settings as Settings shows them. */
export interface DeskView {
  /** Who this app's changes are recorded under (audit trail, claims, replies). */
  operator: string;
  /** The OS user's name: the operator when none is set. */
  defaultOperator: string;
  /** An operator name is set in Settings (else the OS user's). */
  operatorSet: boolean;
  /** A claim with no activity on the case for this long lapses. */
  claimIdleMinutes: number;
  /** The shared database saved in Settings (postgres://USER@HOST:PORT/DB, never a password); null: this machine's store. */
  store: string | null;
  /** A password for it is stored (its value never leaves main / serve). */
  hasStorePassword: boolean;
  /** How the password is kept (as for IMAP). */
  passwordStorage: 'safeStorage' | 'aes-file' | 'session' | 'none';
  /** The store open now: where (no password), and what chose it (a --store flag wins over Settings). */
  openStore: { shown: string; kind: 'sqlite' | 'postgres'; from: 'flag' | 'settings' | 'data-dir' };
  /** The operator or store saved differs from what is open: it applies when the app starts again. */
  restartNeeded: boolean;
}

export const DEFAULT_CLAIM_IDLE_MINUTES = 15;

const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A name shown to colleagues: one line, no control characters. */
/** A shared store's address as Settings keeps it: postgres:// with a user, host and database, and no password. */
export const storeUrl = z.string().trim().max(1000).refine((s) => {
  if (!/^postgres(ql)?:\/\//i.test(s)) return false;
  try {
    const u = new URL(s);
    return !!u.hostname && !!u.username && u.pathname.length > 1 && !u.password;
  } catch {
    return false;
  }
}, { message: 'a postgres://USER@HOST[:PORT]/DATABASE address, without the password (it has its own field)' });

export const operatorName = z.string().trim().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'one line without control characters' });

export const deskChannels = {
  /** Claim the case (or renew this operator's claim); a colleague's live claim refuses ('conflict') unless `takeOver`. */
  'claims:claim': channel(z.strictObject({ id: rowId, takeOver: z.boolean().optional() })).returns<Claim>(),

  /** Give up this operator's claim; answers the claim that stands after (null, or a colleague's). */
  'claims:release': channel(z.strictObject({ id: rowId })).returns<Claim | null>(),

  /** Who works on the case now (null: nobody, or the claim lapsed). */
  'claims:get': channel(z.strictObject({ id: rowId })).returns<Claim | null>(),

  'desk:get': channel(z.strictObject({})).returns<DeskView>(),

  /** `operator` null: the OS user's name again. */
  'desk:set': channel(z.strictObject({
    operator: operatorName.nullable().optional(),
    claimIdleMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
    /** null: back to this machine's store. */
    store: storeUrl.nullable().optional(),
    storePassword: z.string().min(1).max(1024).optional(),
    clearStorePassword: z.boolean().optional(),
  })).returns<DeskView>(),
} as const;
