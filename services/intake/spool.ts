import { createHash, randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** A whole message kept in a file, when the message itself (`raw`) holds only its first bytes. */
export interface WholeMessage {
  /** The file holding the whole message as received. */
  path: string;
  size: number;
  sha256: string;
  /** True when the reader wrote the file (a spool): whoever settles the message removes it; false for the mail's own file. */
  spooled: boolean;
}

/**
 * A message too big to hold, written to a file as it is read, hashed on the
 * way. The file is named `<pid>-intake-…` so that a folder whose leftovers
 * are removed by the writer's pid (the evidence vault's tmp/, see
 * store/evidence-vault.ts) collects it after a crash; it is created 0600.
 */
export class Spool {
  private readonly hash = createHash('sha256');
  private size = 0;

  private constructor(readonly path: string, private fh: FileHandle | undefined) {}

  static async open(dir: string): Promise<Spool> {
    const path = join(dir, `${process.pid}-intake-${Date.now()}-${randomBytes(6).toString('hex')}`);
    return new Spool(path, await open(path, 'wx', 0o600));
  }

  /** Append pieces in order (they may be views into a read buffer: written before this returns). */
  async write(pieces: Uint8Array[]): Promise<void> {
    if (!this.fh) throw new Error('the spool is closed');
    for (const p of pieces) { this.hash.update(p); this.size += p.length; }
    let rest = pieces.filter((p) => p.length > 0);
    while (rest.length) {
      // FileHandle.writev may write less than it was given: what it did not write is given again.
      let { bytesWritten: n } = await this.fh.writev(rest.slice(0, 512));
      let k = 0;
      while (k < rest.length && n >= rest[k].length) { n -= rest[k].length; k++; }
      rest = rest.slice(k);
      if (n > 0) rest[0] = rest[0].subarray(n);
    }
  }

  async close(): Promise<WholeMessage> {
    await this.fh?.close();
    this.fh = undefined;
    return { path: this.path, size: this.size, sha256: this.hash.digest('hex'), spooled: true };
  }

  async discard(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    await rm(this.path, { force: true });
  }
}

/** Remove a message's spool once the message is settled (stored or quarantined); the mail's own file is left alone. */
export async function releaseWhole(whole: WholeMessage | undefined): Promise<void> {
  if (whole?.spooled) await rm(whole.path, { force: true });
}
