import type { Decoder } from './decode-context';

/**
 * One dispatch table: the decoder registered for a header's number. An
 * array indexed by the number, not a Map: every packet takes two or three
 * lookups, and an element load is a fraction of hashing into a Map.
 * Numbers outside the table's range have no decoder.
 */
export class DecoderTable {
  private readonly slots: Array<Decoder | undefined>;

  constructor(private readonly size: number) {
    this.slots = new Array<Decoder | undefined>(size).fill(undefined);
  }

  get(n: number): Decoder | undefined {
    return n >= 0 && n < this.size ? this.slots[n] : undefined;
  }

  has(n: number): boolean {
    return this.get(n) !== undefined;
  }

  set(n: number, decoder: Decoder): void {
    if (!Number.isInteger(n) || n < 0 || n >= this.size) throw new RangeError(`no slot ${n} in a decoder table of ${this.size}`);
    this.slots[n] = decoder;
  }

  delete(n: number): void {
    if (n >= 0 && n < this.size) this.slots[n] = undefined;
  }

  /** The numbers that have a decoder, ascending. */
  *keys(): Generator<number> {
    for (let n = 0; n < this.size; n++) if (this.slots[n] !== undefined) yield n;
  }
}

/**
 * The decoder chain as tables (Zeek: register_packet_analyzer). A decoder
 * looks up the next one by the number its header carries; nothing else
 * knows the order. The tables are filled by registry.ts.
 */
export const linkTypeDecoders = new DecoderTable(1024);
export const etherTypeDecoders = new DecoderTable(1 << 16);
export const ipProtoDecoders = new DecoderTable(256);
