/**
 * Evidence files no row names ("orphans"). Evidence is copied into the vault
 * before the transaction that names it (the copy and its fsync stay out of
 * the write lock), so an operation that fails, finds its message stored
 * already, or dies before COMMIT would leave its new files behind.
 *
 * - PendingBlobs: one operation's journal of the files it created (tmp/
 *   <pid>-….pending, written before each file appears). `settle` removes
 *   those no row names once the operation has committed or failed; a journal
 *   left by a dead process is settled the next time the store is opened.
 * - vaultCheck: every orphan in the vault (and every row whose file is
 *   gone), for `cases backup --check`, removing orphans on request.
 *
 * A file is only removed inside a write transaction, after checking no row
 * names it, so a commit naming it cannot slip in between; and only when its
 * mtime is unchanged (the vault touches a file it is asked to store again: an
 * operation of another process is about to name it).
 */
import { randomBytes } from 'node:crypto';
import { appendFile, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database';
import { PENDING_SUFFIX, processAlive, type EvidenceVault, type PutJournal } from './evidence-vault';
import { toStoreError } from './errors';
import { assertWritable, read, type StoreContext } from './transaction';

interface Created { sha256: string; mtimeMs: number }

/** The files one operation created in the vault, journaled so that they can be collected whatever happens to the operation. */
export class PendingBlobs implements PutJournal {
  private readonly file: string;
  private readonly created: Created[] = [];

  constructor(private readonly vault: EvidenceVault) {
    this.file = join(vault.tmpDir, `${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}${PENDING_SUFFIX}`);
  }

  async record(sha256: string, mtimeMs: number): Promise<void> {
    await appendFile(this.file, `${sha256} ${mtimeMs}\n`, { mode: 0o600 });
    this.created.push({ sha256, mtimeMs });
  }

  /**
   * After the operation committed or failed: remove the files it created that no row names, then the journal.
   * `named`: files the committed operation knows it named (no need to look). Returns how many went.
   */
  async settle(db: Database, named: ReadonlySet<string> = new Set()): Promise<number> {
    const doubtful = this.created.filter((c) => !named.has(c.sha256));
    const n = doubtful.length ? await collectUnreferenced(db, this.vault, doubtful) : 0;
    if (this.created.length) await rm(this.file, { force: true });
    return n;
  }
}

/** Remove each file no evidence row names and nobody touched since `mtimeMs`, in one write transaction. */
async function collectUnreferenced(db: Database, vault: EvidenceVault, files: Created[]): Promise<number> {
  return db.transaction(async (tx) => {
    let n = 0;
    for (const f of files) {
      if (await tx.get('SELECT 1 AS x FROM evidence WHERE sha256 = ? LIMIT 1', [f.sha256])) continue;
      const st = await stat(vault.pathOf(f.sha256)).catch(() => null);
      if (!st || st.mtimeMs !== f.mtimeMs) continue;
      await vault.remove(f.sha256);
      n++;
    }
    return n;
  });
}

/** Settle the journals of processes that died mid-operation (called when a writable store opens). Returns the files removed. */
export async function collectAbandoned(db: Database, vault: EvidenceVault): Promise<number> {
  let removed = 0;
  for (const name of await readdir(vault.tmpDir).catch(() => [] as string[])) {
    if (!name.endsWith(PENDING_SUFFIX)) continue;
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    const path = join(vault.tmpDir, name);
    // A live process's journal is its own business (a day-old one belongs to a dead process whose number was reused).
    const st = await stat(path).catch(() => null);
    if (!st || (pid && (pid === process.pid || processAlive(pid)) && Date.now() - st.mtimeMs < 86_400_000)) continue;
    const text = await readFile(path, 'utf8').catch(() => '');
    const files = text.split('\n').flatMap((l) => {
      const m = /^([0-9a-f]{64}) (\d+(?:\.\d+)?)$/.exec(l);
      return m ? [{ sha256: m[1], mtimeMs: Number(m[2]) }] : [];
    });
    removed += await collectUnreferenced(db, vault, files);
    await rm(path, { force: true });
  }
  return removed;
}

export interface VaultCheck {
  /** Files in the vault. */
  files: number;
  /** Files no evidence row names. */
  orphans: Array<{ sha256: string; size: number; mtimeMs: number }>;
  /** Orphans removed (only when asked). */
  removed: number;
  /** Orphans kept because they changed within `minAgeMs` (another process may be about to name them). */
  recent: number;
  /** Evidence rows whose file is not in the vault (chain of custody: see `cases show`). */
  missing: Array<{ caseId: number; sha256: string }>;
}

/** Orphans removed only when older than this by default: an import running in another process may be about to name a newer one. */
export const ORPHAN_MIN_AGE_MS = 10 * 60_000;

/** Look through the whole vault against the evidence rows; with `removeOrphans`, remove the orphans older than `minAgeMs`. */
export async function vaultCheck(ctx: StoreContext, opts: { removeOrphans?: boolean; minAgeMs?: number } = {}): Promise<VaultCheck> {
  if (opts.removeOrphans) assertWritable(ctx);
  const rows = await read(ctx, () => ctx.db.all<{ case_id: number; sha256: string }>('SELECT case_id, sha256 FROM evidence ORDER BY case_id, id'));
  const named = new Set(rows.map((r) => r.sha256));
  const present = new Set<string>();
  const orphans: VaultCheck['orphans'] = [];
  try {
    for await (const f of ctx.vault.files()) {
      present.add(f.sha256);
      if (!named.has(f.sha256)) orphans.push(f);
    }
  } catch (e) {
    throw toStoreError(e, ctx.vault.root);
  }
  const missing = rows.filter((r) => !present.has(r.sha256)).map((r) => ({ caseId: r.case_id, sha256: r.sha256 }));
  let removed = 0;
  let recent = 0;
  if (opts.removeOrphans) {
    const cutoff = ctx.now() - (opts.minAgeMs ?? ORPHAN_MIN_AGE_MS);
    const old = orphans.filter((o) => o.mtimeMs <= cutoff);
    recent = orphans.length - old.length;
    try {
      removed = await collectUnreferenced(ctx.db, ctx.vault, old);
    } catch (e) {
      throw toStoreError(e, ctx.dataDir);
    }
  }
  return { files: present.size, orphans, removed, recent, missing };
}
