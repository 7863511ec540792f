/**
 * A message larger than the intake reader's bound (services/intake/mbox.ts):
 * the reader hands on its first bytes (parsed, and kept in the message row)
 * and a file holding it whole, written to the spool folder as it was read (or
 * the mail's own .eml file). The store copies that file into the evidence
 * vault with the case, left out of analysis runs, so the message stays whole
 * in custody while nothing holds it in memory.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { processAlive, type PutJournal, type StoredBlob } from './evidence-vault';
import { EVIDENCE_DIR } from './open';
import { isPostgresUrl } from './pg/open';
import type { StoreContext } from './transaction';

/** Where the whole message is (matches services/intake/spool.ts's WholeMessage). */
export interface WholeMessageFile {
  path: string;
  size: number;
  sha256: string;
  /** The reader wrote it: removed once the message is stored or quarantined. */
  spooled: boolean;
}

/**
 * The folder readers spool big messages into, created 0700, with the spools
 * of dead processes (named `<pid>-intake-…`, a crash mid-import) removed. A
 * data folder's is the vault's tmp/ (which opening the store sweeps the same
 * way); a PostgreSQL store's is a private folder of the user's temp folder.
 */
export async function prepareSpoolDir(dataDir: string): Promise<string> {
  const dir = isPostgresUrl(dataDir) ? join(tmpdir(), `abuse-desk-intake-${userInfo().uid}`) : join(resolve(dataDir), EVIDENCE_DIR, 'tmp');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(/^(\d+)-intake-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !processAlive(pid)) await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
  return dir;
}

/** The whole message into the vault; null (with the reason in `warnings`) when its file is gone or changed since it was read. */
export async function putWholeMessage(ctx: StoreContext, whole: WholeMessageFile, journal: PutJournal, warnings: string[]): Promise<StoredBlob | null> {
  try {
    return await ctx.vault.put(createReadStream(whole.path, { highWaterMark: 1 << 20 }), whole.sha256, journal);
  } catch (e) {
    warnings.push(`the whole message (${whole.size} bytes) could not be kept: ${(e as Error).message}`);
    return null;
  }
}

/** Remove a spooled message once settled; a mail's own file is left alone. */
export async function releaseWholeMessage(whole: WholeMessageFile | undefined): Promise<void> {
  if (whole?.spooled) await rm(whole.path, { force: true }).catch(() => undefined);
}
