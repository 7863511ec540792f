import { InputError, throwIfAborted, type Diagnostics } from '../../events/diagnostics';
import { MAX_FRAME_BYTES, reusableFrame, type FrameSink, type FramerSummary } from './frame';

/** Classic libpcap magics as the first four bytes read (pcap-savefile(5)). */
const USEC_LE = [0xd4, 0xc3, 0xb2, 0xa1];
const USEC_BE = [0xa1, 0xb2, 0xc3, 0xd4];
const NSEC_LE = [0x4d, 0x3c, 0xb2, 0xa1];
const NSEC_BE = [0xa1, 0xb2, 0x3c, 0x4d];
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
/** A snap length above this is not believed: a record this long is taken as corrupt (every input has a budget). */
const MAX_SNAPLEN_TRUSTED = 16 << 20;

function startsWith(head: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => head[i] === b);
}

export function sniffPcap(head: Uint8Array): number {
  if (head.length < 4) return 0;
  return [USEC_LE, USEC_BE, NSEC_LE, NSEC_BE].some((m) => startsWith(head, m)) ? 1 : 0;
}

export interface FramerContext {
  file: string;
  diag: Diagnostics;
  signal?: AbortSignal;
  onBytes?: (bytesDone: number) => void;
  /** The source is the file's global header then its records from `offset` on, `packets` records having come before. */
  part?: PcapPart;
}

/** Where a part of a classic pcap file starts: a record boundary and the number of records before it. */
export interface PcapPart {
  offset: number;
  packets: number;
}

/** What the global header says about every record after it. */
interface FileFormat {
  little: boolean;
  nanos: boolean;
  linkType: number;
  snaplen: number;
  /** The longest captured length a record may claim before it is taken as corrupt. */
  limit: number;
}

function fileFormat(h: Uint8Array): FileFormat | undefined {
  const little = startsWith(h, USEC_LE) || startsWith(h, NSEC_LE);
  if (!little && !startsWith(h, USEC_BE) && !startsWith(h, NSEC_BE)) return undefined;
  const v = new DataView(h.buffer, h.byteOffset, GLOBAL_HEADER);
  const snaplen = v.getUint32(16, little);
  return {
    little,
    nanos: startsWith(h, NSEC_LE) || startsWith(h, NSEC_BE),
    linkType: v.getUint32(20, little) & 0x0fffffff, // the top bits carry FCS information (pcap-linktype(7))
    snaplen,
    limit: Math.max(MAX_FRAME_BYTES, snaplen <= MAX_SNAPLEN_TRUSTED ? snaplen : 0),
  };
}

/**
 * Frame a classic pcap file (all four magics: micro- and nanosecond, either
 * byte order). The records are read in place from each chunk the source
 * gives, one frame object refilled for every packet; only a record that
 * straddles two chunks is copied, into a buffer that grows to the longest
 * such record. This was pcap-parser, which made three objects and a Buffer
 * slice per packet and a fifth of a flood's analysis time
 * (`npm run bench -- --only profile`); the differential test still checks
 * every corpus pcap against it.
 *
 * A record header claiming more than the snap length allows stops the file
 * there, keeping what came before, instead of buffering the rest of it.
 */
export async function framePcap(
  source: AsyncIterable<Uint8Array>,
  ctx: FramerContext,
  sink: FrameSink,
): Promise<FramerSummary> {
  const summary: FramerSummary = { linkTypes: [], frames: 0, bytes: 0 };
  const base = ctx.part?.packets ?? 0;
  // File offset of the next record header; where the byte after what was fed sits in the file.
  let offset = ctx.part?.offset ?? GLOBAL_HEADER;
  const filePosition = (fed: number): number => (ctx.part ? ctx.part.offset + fed - GLOBAL_HEADER : fed);
  const header = new Uint8Array(GLOBAL_HEADER);
  let headerFill = 0;
  let format: FileFormat | undefined;
  // A record split over chunks: its bytes so far.
  let carry = new Uint8Array(0);
  let carried = 0;
  let failure: InputError | undefined;
  // One frame object, refilled for every packet: a frame is valid only during the sink's call (frame.ts).
  const frame = reusableFrame();

  /** The captured length a record header claims, or -1 (and the failure set) when it is past the limit. */
  const claimed = (v: DataView, at: number, f: FileFormat): number => {
    const caplen = v.getUint32(at + 8, f.little);
    if (caplen <= f.limit) return caplen;
    failure = new InputError(
      'corrupt_record_length', ctx.file, offset,
      `packet ${base + summary.frames + 1} claims ${caplen} captured bytes (the file's snap length is ${f.snaplen}); the record length is corrupt, reading stopped here`,
    );
    return -1;
  };
  const emit = (bytes: Uint8Array, v: DataView, at: number, caplen: number, f: FileFormat): void => {
    summary.frames++;
    frame.packet = base + summary.frames;
    frame.offset = offset;
    frame.linkType = f.linkType;
    frame.tsSec = v.getUint32(at, f.little);
    const fraction = v.getUint32(at + 4, f.little);
    frame.tsNanos = f.nanos ? fraction : fraction * 1000;
    frame.origLen = v.getUint32(at + 12, f.little);
    frame.bytes = bytes;
    frame.start = at + RECORD_HEADER;
    frame.end = at + RECORD_HEADER + caplen;
    sink(frame);
    offset += RECORD_HEADER + caplen;
  };
  /** Take bytes from `bytes[pos..]` into the carried record until it is whole; returns the new position. */
  const fillCarry = (bytes: Uint8Array, pos: number, f: FileFormat): number => {
    for (;;) {
      let need = RECORD_HEADER;
      if (carried >= RECORD_HEADER) {
        const caplen = claimed(new DataView(carry.buffer, 0, RECORD_HEADER), 0, f);
        if (caplen < 0) return pos;
        need += caplen;
      }
      if (carried === need) {
        emit(carry, new DataView(carry.buffer), 0, need - RECORD_HEADER, f);
        carried = 0;
        return pos;
      }
      if (pos >= bytes.length) return pos;
      if (carry.length < need) {
        const grown = new Uint8Array(Math.max(need, 2 * carry.length));
        grown.set(carry.subarray(0, carried));
        carry = grown;
      }
      const take = Math.min(need - carried, bytes.length - pos);
      carry.set(bytes.subarray(pos, pos + take), carried);
      carried += take;
      pos += take;
    }
  };

  let done = 0;
  for await (const chunk of source) {
    throwIfAborted(ctx.signal);
    done += chunk.length;
    // A plain view: subarrays of a Node Buffer are Buffers, slower to make, and the frame is read through it.
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (!format) {
      const take = Math.min(GLOBAL_HEADER - headerFill, bytes.length);
      header.set(bytes.subarray(0, take), headerFill);
      headerFill += take;
      pos = take;
      if (headerFill < GLOBAL_HEADER) { ctx.onBytes?.(done); continue; }
      format = fileFormat(header);
      if (!format) {
        failure = new InputError('bad_pcap', ctx.file, 0, 'the file does not start with a pcap magic number');
        break;
      }
      summary.linkTypes.push(format.linkType);
    }
    const f = format;
    if (carried > 0) pos = fillCarry(bytes, pos, f);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (!failure && carried === 0 && pos + RECORD_HEADER <= bytes.length) {
      const caplen = claimed(v, pos, f);
      if (caplen < 0 || pos + RECORD_HEADER + caplen > bytes.length) break;
      emit(bytes, v, pos, caplen, f);
      pos += RECORD_HEADER + caplen;
    }
    if (!failure && pos < bytes.length) pos = fillCarry(bytes, pos, f);
    ctx.onBytes?.(done);
    if (failure) break;
  }
  summary.bytes = done;
  if (failure) {
    ctx.diag.weird({ code: failure.code, file: ctx.file, offset: failure.offset, message: failure.message });
  } else if (!format) {
    ctx.diag.weird({ code: 'truncated_header', file: ctx.file, offset: 0, message: `file is ${done} bytes, shorter than a pcap file header` });
  } else if (offset < filePosition(done)) {
    ctx.diag.weird({
      code: 'truncated_record', file: ctx.file, offset,
      message: `capture ends inside packet ${base + summary.frames + 1} (${filePosition(done) - offset} of its bytes present): the file was cut; the ${base + summary.frames} packets before it were read`,
    });
  }
  return summary;
}
