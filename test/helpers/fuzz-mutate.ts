import fc from 'fast-check';

/**
 * Byte-level mutations of a seed file, as a file gets damaged in the wild:
 * cut short, a bit flipped, a length field overwritten with an absurd
 * value, junk spliced in.
 */
export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'length'; at: number; value: number }
  | { kind: 'junk'; at: number; bytes: number[] };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('length' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 11, 0xffff, 0x7fffffff, 0xffffffff, 0x10000000) }),
  fc.record({ kind: fc.constant('junk' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }),
);

/** Apply mutations in order; positions are taken modulo the current length. */
export function mutate(data: Uint8Array, ms: Mutation[]): Uint8Array {
  let out = data.slice();
  for (const m of ms) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'flip') out[at] ^= 1 << m.bit;
    else if (m.kind === 'length') {
      // Length fields sit at 4-byte boundaries in pcap and pcapng; either byte order.
      const p = at & ~3;
      if (p + 4 <= out.length) new DataView(out.buffer).setUint32(p, m.value, (m.at & 1) === 0);
    } else {
      const junk = Uint8Array.from(m.bytes);
      const next = new Uint8Array(out.length + junk.length);
      next.set(out.subarray(0, at));
      next.set(junk, at);
      next.set(out.subarray(at), at + junk.length);
      out = next;
    }
  }
  return out;
}

/**
 * The first byte offset at which `b` differs from `a`: the position of the
 * first fault a mutation put in. A pure truncation differs at its new length;
 * an unchanged copy at `a.length`.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** A stream of `data` in chunks of `size` bytes (the readers must not care where chunks end). */
export async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
