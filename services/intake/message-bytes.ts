import { Spool, type WholeMessage } from './spool';

/** Size of the blocks the first bytes of a message are copied into (no object per line of a big message). */
const BLOCK = 1 << 20;
const FIRST_BLOCK = 16 << 10;

/**
 * The bytes of one message as a reader finds them: the first `bound` kept in
 * memory (the message as parsed and stored in its row); past the bound, with
 * a `spoolDir`, the whole message is written to a spool file as it is read
 * (memory stays at the bound whatever the message's length), else the rest
 * is only counted.
 */
export class MessageBytes {
  private readonly blocks: Uint8Array[] = [];
  private used = 0;
  /** Bytes of the message so far, kept or not. */
  size = 0;
  private kept = 0;
  private spool: Spool | undefined;
  /** Pieces past the bound not yet written to the spool (views into the current read buffer). */
  private queue: Uint8Array[] = [];

  constructor(private readonly bound: number, private readonly spoolDir?: string) {}

  push(b: Uint8Array): void {
    this.size += b.length;
    const take = Math.min(this.bound - this.kept, b.length);
    if (take > 0) this.keep(b.subarray(0, take));
    if (take < b.length && this.spoolDir !== undefined) this.queue.push(b.subarray(Math.max(0, take)));
  }

  private keep(b: Uint8Array): void {
    let at = 0;
    while (at < b.length) {
      let block = this.blocks[this.blocks.length - 1];
      if (!block || this.used === block.length) {
        // Growing blocks: most messages are a few kilobytes, and a batch holds a hundred of them.
        block = new Uint8Array(Math.min(BLOCK, Math.max(FIRST_BLOCK, this.kept), this.bound - this.kept));
        this.blocks.push(block);
        this.used = 0;
      }
      const n = Math.min(block.length - this.used, b.length - at);
      block.set(b.subarray(at, at + n), this.used);
      this.used += n;
      this.kept += n;
      at += n;
    }
  }

  /** Write what is waiting to the spool (opened, with the kept bytes first, once the message passes its bound). Call before the read buffer is reused. */
  async drain(): Promise<void> {
    if (this.queue.length === 0) return;
    const pieces = this.queue;
    this.queue = [];
    if (!this.spool) {
      this.spool = await Spool.open(this.spoolDir!);
      await this.spool.write(this.keptBlocks());
    }
    await this.spool.write(pieces);
  }

  /** Bytes read past the bound (not in `raw`). */
  get beyond(): number {
    return this.size - this.kept;
  }

  /** The message: its first bytes, and the spool holding it whole when it was larger. */
  async finish(): Promise<{ raw: Uint8Array; whole?: WholeMessage }> {
    await this.drain();
    const blocks = this.keptBlocks();
    const raw = blocks.length === 1 && blocks[0].buffer.byteLength === this.kept ? blocks[0] : concat(blocks, this.kept);
    return { raw, whole: this.spool ? await this.spool.close() : undefined };
  }

  /** Give up the message (the reader failed): its spool is removed. */
  async discard(): Promise<void> {
    this.queue = [];
    await this.spool?.discard();
  }

  private keptBlocks(): Uint8Array[] {
    const out = this.blocks.slice();
    if (out.length) out[out.length - 1] = out[out.length - 1].subarray(0, this.used);
    return out;
  }
}

export function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
