/**
 * The context every store domain module works in, and the transaction
 * plumbing they share: one write transaction per operation (a failed write
 * changes nothing), every error mapped to a StoreError whose message can be
 * shown to the operator as is.
 */
import { userInfo } from 'node:os';
import type { Database } from './database';
import { StoreError, toStoreError } from './errors';
import type { EvidenceVault } from './evidence-vault';
import type { CaseStatus } from './types';

/**
 * What a domain function needs: the database handle, the evidence vault, the
 * clock and whether writes are allowed. The domain modules (cases/, search,
 * queue, intake-store, group-reply, bundles/, backup) take this and nothing
 * else, so another backend can supply its own handle behind the same functions.
 */
export interface StoreContext {
  /** The data folder (absolute), named in error messages. */
  readonly dataDir: string;
  readonly db: Database;
  readonly vault: EvidenceVault;
  /** Clock (ms since epoch). */
  readonly now: () => number;
  /** Why the store is read-only, when it is (every write then throws StoreError 'read_only'). */
  readonly readOnlyReason: string | undefined;
  /** Who makes the changes (audit lines name them); the OS user when not given. */
  readonly operator?: string;
}

let osUser: string | undefined;

/** The operator a write is recorded under: the store's, else the OS user's name. */
export function operatorOf(ctx: StoreContext): string {
  if (ctx.operator) return ctx.operator;
  if (osUser === undefined) {
    try {
      osUser = userInfo().username || 'unknown';
    } catch {
      osUser = 'unknown'; // no passwd entry (some containers)
    }
  }
  return osUser;
}

export function assertWritable(ctx: StoreContext): void {
  if (ctx.readOnlyReason !== undefined) throw new StoreError('read_only', ctx.readOnlyReason);
}

/** One write transaction, errors mapped to StoreError. */
export async function write<T>(ctx: StoreContext, fn: (tx: Database) => Promise<T>): Promise<T> {
  assertWritable(ctx);
  try {
    return await ctx.db.transaction(fn);
  } catch (e) {
    throw toStoreError(e, ctx.dataDir);
  }
}

/** A read (outside a transaction), errors mapped to StoreError. */
export async function read<T>(ctx: StoreContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toStoreError(e, ctx.dataDir);
  }
}

export async function mustExist(tx: Database, caseId: number): Promise<{ status: CaseStatus }> {
  const c = await tx.get<{ status: CaseStatus }>('SELECT status FROM cases WHERE id = ?', [caseId]);
  if (!c) throw new StoreError('not_found', `There is no case ${caseId}.`);
  return c;
}

declare const ABUSE_DESK_CLI_BUNDLE: boolean | undefined;
const commitWindowCounts = new Map<string, number>();

/**
 * Test builds only: a pause inside a write transaction, after its rows are
 * written and before COMMIT, so a crash test can kill the process exactly
 * there. ABUSE_DESK_TEST_PAUSE_IN_COMMIT=LABEL:N stops the N-th transaction
 * of that label (1 when N is left out): it says so on stderr
 * ("abuse-desk-test: paused in commit window LABEL N") and waits to be
 * killed. Unset (production) it does nothing, and the CLI bundle never
 * pauses, whatever the environment says.
 */
export async function commitWindow(label: string): Promise<void> {
  const want = process.env.ABUSE_DESK_TEST_PAUSE_IN_COMMIT;
  if (!want || (typeof ABUSE_DESK_CLI_BUNDLE !== 'undefined' && ABUSE_DESK_CLI_BUNDLE)) return;
  const [wantLabel, nth = '1'] = want.split(':');
  if (wantLabel !== label) return;
  const n = (commitWindowCounts.get(label) ?? 0) + 1;
  commitWindowCounts.set(label, n);
  if (n !== Number(nth)) return;
  process.stderr.write(`abuse-desk-test: paused in commit window ${label} ${n}\n`);
  await new Promise<never>(() => { setInterval(() => undefined, 60_000); });
}
