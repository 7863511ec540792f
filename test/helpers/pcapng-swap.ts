/**
 * Test-only pcapng rewriters, used to make fixtures no Wireshark tool writes
 * (see test/fixtures/pcapng/README.md):
 *
 * - `swapPcapng`: byte-swap every section (LE <-> BE), field by field, so the
 *   result is the same capture in the other byte order. Packet data, strings
 *   and opaque option values are left as they are.
 * - `toSimplePackets`: turn every Enhanced Packet Block of interface 0 into a
 *   Simple Packet Block (no timestamp, no options) and set interface 0's
 *   snaplen, so captured lengths come from the snaplen rule.
 *
 * Both take and return whole files in memory: fixtures are small.
 */

const SHB = 0x0a0d0d0a;
const MAGIC = 0x1a2b3c4d;

/** Widths of the fixed fields after type+length, per block type (0 = opaque bytes follow). */
const FIXED: Record<number, number[]> = {
  [SHB]: [4, 2, 2, 8], // magic, major, minor, section length
  1: [2, 2, 4], // IDB: link type, reserved, snaplen
  2: [2, 2, 4, 4, 4, 4], // PB: if id, drops, ts hi, ts lo, caplen, origlen
  3: [4], // SPB: origlen
  5: [4, 4, 4], // ISB: if id, ts hi, ts lo
  6: [4, 4, 4, 4, 4], // EPB: if id, ts hi, ts lo, caplen, origlen
  0x0a: [4, 4], // DSB: secrets type, secrets length
};

/** Numeric option values by block type and option code: widths to swap in turn. */
const NUMERIC_OPTIONS: Record<number, Record<number, number[]>> = {
  1: { 8: [8], 9: [1], 10: [4], 13: [1], 14: [8], 16: [8], 17: [8] },
  2: { 2: [4], 4: [8] },
  5: { 2: [4, 4], 3: [4, 4], 4: [8], 5: [8], 6: [8], 7: [8], 8: [8] },
  6: { 2: [4], 4: [8], 5: [8], 6: [4] },
};
/** Custom options (any block) start with a 4-byte Private Enterprise Number. */
const CUSTOM_OPTIONS = new Set([2988, 2989, 19372, 19373]);

function swapField(b: Uint8Array, at: number, width: number): void {
  for (let i = 0, j = width - 1; i < j; i++, j--) {
    const t = b[at + i];
    b[at + i] = b[at + j];
    b[at + j] = t;
  }
}

function swapOptions(out: Uint8Array, dv: DataView, type: number, from: number, end: number, le: boolean): void {
  let o = from;
  while (o + 4 <= end) {
    const code = dv.getUint16(o, le);
    const len = dv.getUint16(o + 2, le);
    swapField(out, o, 2);
    swapField(out, o + 2, 2);
    if (code === 0) break;
    const widths = NUMERIC_OPTIONS[type]?.[code] ?? (CUSTOM_OPTIONS.has(code) ? [4] : []);
    let at = o + 4;
    for (const w of widths) { swapField(out, at, w); at += w; }
    o += 4 + ((len + 3) & ~3);
  }
}

/** Same capture, every section in the opposite byte order. */
export function swapPcapng(input: Uint8Array): Uint8Array {
  const out = input.slice();
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let le = true;
  let p = 0;
  while (p + 12 <= input.length) {
    if (dv.getUint32(p, true) === SHB) le = dv.getUint32(p + 8, true) === MAGIC;
    const type = dv.getUint32(p, le);
    const len = dv.getUint32(p + 4, le);
    if (len < 12 || p + len > input.length) throw new Error(`swapPcapng: bad block at ${p}`);
    swapField(out, p, 4);
    swapField(out, p + 4, 4);
    swapField(out, p + len - 4, 4);
    let at = p + 8;
    for (const w of FIXED[type] ?? []) { swapField(out, at, w); at += w; }
    const end = p + len - 4;
    if (type === 6 || type === 2) {
      const capLen = dv.getUint32(p + 20, le);
      swapOptions(out, dv, type, at + ((capLen + 3) & ~3), end, le);
    } else if (type === 0x0a) {
      const secretsLen = dv.getUint32(p + 12, le);
      swapOptions(out, dv, type, at + ((secretsLen + 3) & ~3), end, le);
    } else if (type === SHB || type === 1 || type === 5) {
      swapOptions(out, dv, type, at, end, le);
    } else if (type === 4) {
      // NRB: records (type u16, length u16, raw value) up to nrb_record_end, then options.
      let o = at;
      while (o + 4 <= end) {
        const rt = dv.getUint16(o, le);
        const rl = dv.getUint16(o + 2, le);
        swapField(out, o, 2);
        swapField(out, o + 2, 2);
        o += 4 + ((rl + 3) & ~3);
        if (rt === 0) break;
      }
      swapOptions(out, dv, type, o, end, le);
    } else if (type !== 3) {
      throw new Error(`swapPcapng: block type 0x${type.toString(16)} at ${p} has an unknown layout`);
    }
    p += len;
  }
  if (p !== input.length) throw new Error(`swapPcapng: ${input.length - p} trailing bytes`);
  return out;
}

/**
 * Little-endian input only. Every `every`-th EPB of interface 0 (the 2nd, 4th, ... for 2) becomes
 * an SPB, so SPBs sit between timestamped packets; interface 0's snaplen is set to `snapLen`.
 */
export function toSimplePackets(input: Uint8Array, snapLen: number, every = 1): Uint8Array {
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const parts: Uint8Array[] = [];
  let ifaces = 0;
  let seen = 0;
  let p = 0;
  while (p + 12 <= input.length) {
    const type = dv.getUint32(p, true);
    const len = dv.getUint32(p + 4, true);
    const block = input.slice(p, p + len);
    if (type === SHB) ifaces = 0;
    if (type === 1) {
      if (ifaces === 0) new DataView(block.buffer).setUint32(12, snapLen, true);
      ifaces++;
    }
    if (type === 6 && dv.getUint32(p + 8, true) === 0 && ++seen % every === 0) {
      const origLen = dv.getUint32(p + 24, true);
      const capLen = Math.min(dv.getUint32(p + 20, true), snapLen);
      const total = 16 + ((capLen + 3) & ~3);
      const spb = new Uint8Array(total);
      const sdv = new DataView(spb.buffer);
      sdv.setUint32(0, 3, true);
      sdv.setUint32(4, total, true);
      sdv.setUint32(8, origLen, true);
      spb.set(input.subarray(p + 28, p + 28 + capLen), 12);
      sdv.setUint32(total - 4, total, true);
      parts.push(spb);
    } else {
      parts.push(block);
    }
    p += len;
  }
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of parts) { out.set(b, o); o += b.length; }
  return out;
}
