/**
 * Streaming pcapng framer (draft-ietf-opsawg-pcapng, "PCAP Now Generic").
 *
 * Every block is `type:u32 total_length:u32 body total_length:u32` (section 3.1),
 * in the byte order of the enclosing section's Section Header Block. A block is
 * parsed in place when it lies wholly inside the current chunk; only a block
 * that straddles a chunk boundary is copied, into one reused buffer that grows
 * to the largest such block (capped at MAX_BLOCK_BYTES). The file is never held
 * whole.
 *
 * Blocks read: SHB (0x0A0D0D0A, 4.1), IDB (1, 4.2), EPB (6, 4.3), SPB (3, 4.4),
 * the obsolete Packet Block (2, appendix). Every other block is skipped by its length.
 */
import { throwIfAborted } from '../../events/diagnostics';
import { MAX_FRAME_BYTES, reusableFrame } from './frame';
import type { FrameSink, FramerSummary } from './frame';
import type { FramerContext } from './pcap';

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_PB = 0x00000002;
const BT_SPB = 0x00000003;
const BT_EPB = 0x00000006;
/**
 * Blocks Wireshark lists as frames of their own though they carry no packet: the
 * systemd Journal Export Block and the Custom Blocks (copyable or not). We count
 * them so our packet numbers stay Wireshark's, but emit nothing.
 */
const BT_SJE = 0x00000009;
const BT_CB_COPY = 0x00000bad;
const BT_CB_NOCOPY = 0x40000bad;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Largest block we accept: one maximal frame plus generous room for options. Beyond this the length is corrupt. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

const TWO_32 = 4294967296;
/** Below this high word a 64-bit timestamp is exact as a double (< 2^53). */
const EXACT_HI_LIMIT = 0x200000;
/** 1e9 = 5^9 * 2^9: lets binary fractions become nanoseconds without leaving exact integer range. */
const FIVE_POW_9 = 1953125;

/** One Interface Description Block, reduced to what framing needs. */
interface Iface {
  linkType: number;
  /** 0 = no limit. */
  snapLen: number;
  /** Timestamp units per second (10^n or 2^n). */
  div: number;
  /** units -> nanoseconds: floor(units * nsMul / nsDiv), exact for `exact` interfaces. */
  nsMul: number;
  nsDiv: number;
  /** False when `div` is too large for double arithmetic (finer than 1 ns decimal, or 2^-31 and finer): BigInt path. */
  exact: boolean;
  bigDiv: bigint;
  /** if_tsoffset, seconds added to every timestamp. */
  offset: number;
}

function makeIface(linkType: number, snapLen: number, tsresol: number, offset: number): Iface {
  const binary = (tsresol & 0x80) !== 0;
  const exp = tsresol & 0x7f;
  let div: number;
  let nsMul = 1;
  let nsDiv = 1;
  let exact: boolean;
  if (binary) {
    div = 2 ** exp;
    exact = exp <= 30;
    if (exp >= 9) { nsMul = FIVE_POW_9; nsDiv = 2 ** (exp - 9); } else nsMul = FIVE_POW_9 * 2 ** (9 - exp);
  } else {
    div = 10 ** exp;
    exact = exp <= 9;
    if (exact) nsMul = 10 ** (9 - exp);
  }
  const bigDiv = binary ? 1n << BigInt(exp) : 10n ** BigInt(exp);
  return { linkType, snapLen, div, nsMul, nsDiv, exact, bigDiv, offset };
}

/**
 * Confidence 0..1 that `head` starts a pcapng file: a Section Header Block
 * type (palindromic, so byte-order independent) followed by the byte-order magic.
 */
export function sniffPcapng(head: Uint8Array): number {
  if (head.length < 4) return 0;
  if (head[0] !== 0x0a || head[1] !== 0x0d || head[2] !== 0x0d || head[3] !== 0x0a) return 0;
  if (head.length < 12) return 0.5;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const le = dv.getUint32(8, true) === BYTE_ORDER_MAGIC;
  if (!le && dv.getUint32(8, false) !== BYTE_ORDER_MAGIC) return 0.2;
  const len = dv.getUint32(4, le);
  const major = head.length >= 14 ? dv.getUint16(12, le) : 1;
  return len >= 28 && len % 4 === 0 && major === 1 ? 1 : 0.8;
}

/**
 * Split a pcapng byte stream into frames. Never throws for content: corrupt
 * framing (impossible or mismatched block length, bad byte-order magic, no
 * Section Header Block first) is a `corrupt_block` weird and a file that ends
 * inside a block a `truncated_record` weird (the codes the classic pcap framer
 * uses, so ingest reports both as the file's error), each with a byte offset.
 * Reading stops there; every earlier frame has already been delivered. There is
 * no resynchronisation: inside a section the next block cannot be told from
 * packet bytes with certainty.
 */
export async function framePcapng(
  source: AsyncIterable<Uint8Array>,
  ctx: FramerContext,
  sink: FrameSink,
): Promise<FramerSummary> {
  const framer = new PcapngFramer(ctx, sink);
  for await (const chunk of source) {
    throwIfAborted(ctx.signal);
    framer.push(chunk);
    ctx.onBytes?.(framer.bytesDone);
    if (framer.stopped) break;
  }
  throwIfAborted(ctx.signal);
  framer.end();
  // After a stop, count the bytes up to the bad block (not however far the last chunk reached), so the result does not depend on chunking.
  return { linkTypes: framer.linkTypes, frames: framer.frames, bytes: framer.stopped ? framer.stoppedAt : framer.bytesDone };
}

class PcapngFramer {
  /** Little-endian section (the current SHB's byte order). */
  private le = true;
  private sawShb = false;
  private ifaces: Iface[] = [];
  private packet = 0;
  /** Last timestamp delivered, for Simple Packet Blocks, which carry none. */
  private tsSec = 0;
  private tsNanos = 0;

  /** Bytes of a block that straddles chunks. `pendNeed` is 0 until its 12-byte header is in. */
  private pend = new Uint8Array(64 * 1024);
  private pendDv = new DataView(this.pend.buffer);
  private pendLen = 0;
  private pendNeed = 0;
  private pendAbs = 0;

  bytesDone = 0;
  frames = 0;
  stopped = false;
  stoppedAt = 0;
  readonly linkTypes: number[] = [];
  /** Refilled for every packet, as the classic framer does: a frame is valid only during the sink's call. */
  private readonly frame = reusableFrame();

  constructor(private readonly ctx: FramerContext, private readonly sink: FrameSink) {}

  push(given: Uint8Array): void {
    if (this.stopped) return;
    // A plain view, as frames must be (frame.ts), even when the source gives Node Buffers.
    const chunk = new Uint8Array(given.buffer, given.byteOffset, given.byteLength);
    const n = chunk.length;
    const base = this.bytesDone;
    this.bytesDone += n;
    let p = 0;

    if (this.pendLen > 0) {
      if (this.pendNeed === 0) {
        const take = Math.min(12 - this.pendLen, n);
        this.pend.set(chunk.subarray(0, take), this.pendLen);
        this.pendLen += take;
        p = take;
        if (this.pendLen < 12) return;
        const need = this.header(this.pendDv, 0, this.pendAbs);
        if (need < 0) return;
        this.reserve(need);
        this.pendNeed = need;
      }
      const take = Math.min(this.pendNeed - this.pendLen, n - p);
      this.pend.set(chunk.subarray(p, p + take), this.pendLen);
      this.pendLen += take;
      p += take;
      if (this.pendLen < this.pendNeed) return;
      const len = this.pendNeed;
      this.pendLen = 0;
      this.pendNeed = 0;
      this.block(this.pendDv, this.pend, 0, len, this.pendAbs);
      if (this.stopped) return;
    }

    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let need = 0;
    while (n - p >= 12) {
      const len = this.header(dv, p, base + p);
      if (len < 0) return;
      if (len > n - p) { need = len; break; }
      this.block(dv, chunk, p, len, base + p);
      if (this.stopped) return;
      p += len;
    }
    if (p < n) {
      if (need > 0) this.reserve(need);
      this.pend.set(chunk.subarray(p), 0);
      this.pendLen = n - p;
      this.pendNeed = need;
      this.pendAbs = base + p;
    }
  }

  end(): void {
    if (this.stopped) return;
    if (this.bytesDone === 0) {
      this.weird('empty_file', 0, 'the file is empty');
    } else if (this.pendLen > 0) {
      const want = this.pendNeed > 0 ? `${this.pendNeed}` : 'at least 12';
      this.weird('truncated_record', this.pendAbs,
        `file ends inside a pcapng block: ${this.pendLen} of ${want} bytes present; frames before it were read`);
    }
  }

  private weird(code: string, offset: number, message: string): void {
    this.ctx.diag.weird({ code, file: this.ctx.file, offset, message });
  }

  private stop(code: string, offset: number, message: string): -1 {
    this.weird(code, offset, `${message}; reading of this file stopped here`);
    this.stopped = true;
    this.stoppedAt = offset;
    this.pendLen = 0;
    return -1;
  }

  private reserve(len: number): void {
    if (len <= this.pend.length) return;
    let cap = this.pend.length;
    while (cap < len) cap *= 2;
    const next = new Uint8Array(Math.min(cap, MAX_BLOCK_BYTES));
    next.set(this.pend.subarray(0, this.pendLen));
    this.pend = next;
    this.pendDv = new DataView(next.buffer);
  }

  /**
   * Validate a block header (12 bytes available at p) and return its total
   * length, or -1 after recording why the file cannot be read further. An SHB
   * sets the byte order before its length is read.
   */
  private header(dv: DataView, p: number, abs: number): number {
    const type = dv.getUint32(p, this.le);
    if (type === BT_SHB) {
      const magic = dv.getUint32(p + 8, true);
      if (magic === BYTE_ORDER_MAGIC) this.le = true;
      else if (dv.getUint32(p + 8, false) === BYTE_ORDER_MAGIC) this.le = false;
      else return this.stop('corrupt_block', abs, `Section Header Block with bad byte-order magic 0x${magic.toString(16)}`);
      this.sawShb = true;
    } else if (!this.sawShb) {
      return this.stop('corrupt_block', abs, 'not a pcapng file: it does not start with a Section Header Block');
    }
    const len = dv.getUint32(p + 4, this.le);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_BYTES) {
      return this.stop('corrupt_block', abs, `pcapng block at offset ${abs} (type 0x${type.toString(16)}) has impossible total length ${len}`);
    }
    return len;
  }

  /** One whole block at p (len bytes, header already validated). */
  private block(dv: DataView, u8: Uint8Array, p: number, len: number, abs: number): void {
    const le = this.le;
    const trailer = dv.getUint32(p + len - 4, le);
    if (trailer !== len) {
      this.stop('corrupt_block', abs, `pcapng block at offset ${abs}: total length ${len} but trailing length ${trailer}`);
      return;
    }
    const type = dv.getUint32(p, le);
    switch (type) {
      case BT_EPB: {
        if (len < 32) { this.shortBlock('Enhanced Packet', len, abs); return; }
        this.packetBlock(dv, u8, p, len, abs, dv.getUint32(p + 8, le));
        return;
      }
      case BT_SPB: {
        if (len < 16) { this.shortBlock('Simple Packet', len, abs); return; }
        this.packet++;
        const iface = this.ifaces[0];
        if (iface === undefined) { this.weird('unknown_interface', abs, 'Simple Packet Block before any Interface Description Block: skipped'); return; }
        const origLen = dv.getUint32(p + 8, le);
        let capLen = Math.min(origLen, len - 16);
        if (iface.snapLen !== 0 && capLen > iface.snapLen) capLen = iface.snapLen;
        this.emit(u8, p + 12, capLen, origLen, iface.linkType, this.tsSec, this.tsNanos, abs);
        return;
      }
      case BT_PB: {
        if (len < 32) { this.shortBlock('Packet', len, abs); return; }
        this.packetBlock(dv, u8, p, len, abs, dv.getUint16(p + 8, le));
        return;
      }
      case BT_IDB: {
        if (len < 20) { this.shortBlock('Interface Description', len, abs); return; }
        this.interfaceBlock(dv, p, len, abs);
        return;
      }
      case BT_SHB: {
        if (len < 28) { this.stop('corrupt_block', abs, `Section Header Block of ${len} bytes (minimum 28)`); return; }
        const major = dv.getUint16(p + 12, le);
        if (major !== 1) { this.stop('corrupt_block', abs, `pcapng major version ${major} (only 1 exists)`); return; }
        this.ifaces = [];
        return;
      }
      case BT_SJE:
      case BT_CB_COPY:
      case BT_CB_NOCOPY:
        this.packet++;
        return;
      default:
        return; // NRB, ISB, DSB and local-use blocks carry no frames.
    }
  }

  private shortBlock(what: string, len: number, abs: number): void {
    this.weird('short_block', abs, `${what} Block of only ${len} bytes: skipped`);
  }

  /** EPB and the obsolete PB share a layout after the interface id: ts_hi, ts_lo, cap_len, orig_len, data. */
  private packetBlock(dv: DataView, u8: Uint8Array, p: number, len: number, abs: number, ifId: number): void {
    const le = this.le;
    this.packet++;
    const iface = this.ifaces[ifId];
    if (iface === undefined) {
      this.weird('unknown_interface', abs, `packet on interface ${ifId}, but the section describes ${this.ifaces.length}: skipped`);
      return;
    }
    const capLen = dv.getUint32(p + 20, le);
    if (capLen > len - 32) {
      this.weird('bad_caplen', abs, `captured length ${capLen} does not fit in a ${len}-byte block: skipped`);
      return;
    }
    this.timestamp(iface, dv.getUint32(p + 12, le), dv.getUint32(p + 16, le));
    this.emit(u8, p + 28, capLen, dv.getUint32(p + 24, le), iface.linkType, this.tsSec, this.tsNanos, abs);
  }

  private emit(u8: Uint8Array, at: number, capLen: number, origLen: number, linkType: number, tsSec: number, tsNanos: number, abs: number): void {
    if (capLen > MAX_FRAME_BYTES) {
      this.weird('oversized_frame', abs, `captured length ${capLen} exceeds ${MAX_FRAME_BYTES} bytes: skipped`);
      return;
    }
    this.frames++;
    const f = this.frame;
    f.packet = this.packet; f.offset = abs; f.linkType = linkType; f.tsSec = tsSec; f.tsNanos = tsNanos; f.origLen = origLen;
    f.bytes = u8; f.start = at; f.end = at + capLen;
    this.sink(f);
  }

  /** 64-bit timestamp in interface units -> this.tsSec / this.tsNanos (truncating, as wiretap does). */
  private timestamp(f: Iface, hi: number, lo: number): void {
    if (!f.exact) {
      const v = (BigInt(hi) << 32n) | BigInt(lo);
      this.tsSec = Number(v / f.bigDiv) + f.offset;
      this.tsNanos = Number(((v % f.bigDiv) * 1000000000n) / f.bigDiv);
      return;
    }
    const d = f.div;
    let s: number;
    let r: number;
    if (hi < EXACT_HI_LIMIT) {
      const v = hi * TWO_32 + lo;
      s = Math.floor(v / d);
      r = v - s * d;
    } else {
      // Long division in base 2^16: every partial dividend stays below 2^46, so it is exact.
      let x = hi >>> 16;
      const q3 = Math.floor(x / d); r = x - q3 * d;
      x = r * 65536 + (hi & 0xffff);
      const q2 = Math.floor(x / d); r = x - q2 * d;
      x = r * 65536 + (lo >>> 16);
      const q1 = Math.floor(x / d); r = x - q1 * d;
      x = r * 65536 + (lo & 0xffff);
      const q0 = Math.floor(x / d); r = x - q0 * d;
      s = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0;
    }
    this.tsSec = s + f.offset;
    this.tsNanos = Math.floor((r * f.nsMul) / f.nsDiv);
  }

  private interfaceBlock(dv: DataView, p: number, len: number, abs: number): void {
    const le = this.le;
    const linkType = dv.getUint16(p + 8, le);
    const snapLen = dv.getUint32(p + 12, le);
    let tsresol = 6;
    let offset = 0;
    const end = p + len - 4;
    let o = p + 16;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      if (code === OPT_ENDOFOPT) break;
      const v = o + 4;
      if (v + olen > end) {
        this.weird('bad_option', abs, `Interface Description Block option ${code} runs past the block end: options ignored from there`);
        break;
      }
      if (code === OPT_IF_TSRESOL && olen >= 1) tsresol = dv.getUint8(v);
      else if (code === OPT_IF_TSOFFSET && olen >= 8) offset = Number(dv.getBigInt64(v, le));
      o = v + ((olen + 3) & ~3);
    }
    this.ifaces.push(makeIface(linkType, snapLen, tsresol, offset));
    this.linkTypes.push(linkType);
  }
}
