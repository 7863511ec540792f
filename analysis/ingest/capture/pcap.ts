import * as pcapParser from 'pcap-parser';
import { InputError, throwIfAborted, type Diagnostics } from '../../events/diagnostics';
import { MAX_FRAME_BYTES, type CaptureFrame, type FrameSink, type FramerSummary } from './frame';

/** Classic libpcap magics as the first four bytes read (pcap-savefile(5)). */
const USEC_LE = [0xd4, 0xc3, 0xb2, 0xa1];
const USEC_BE = [0xa1, 0xb2, 0xc3, 0xd4];
const NSEC_LE = [0x4d, 0x3c, 0xb2, 0xa1];
const NSEC_BE = [0xa1, 0xb2, 0x3c, 0x4d];
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** pcap-parser works on Node Buffers (it calls .copy and .readUInt32LE); wrap our bytes without copying. */
function asBuffer(chunk: Uint8Array): Uint8Array {
  const B = (globalThis as { Buffer?: { isBuffer(x: unknown): boolean; from(a: ArrayBufferLike, o: number, l: number): Uint8Array } }).Buffer;
  if (!B) throw new Error('pcap-parser needs Node.js Buffers');
  return B.isBuffer(chunk) ? chunk : B.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Frame a classic pcap file with pcap-parser. pcap-parser only knows the
 * microsecond magics; for nanosecond files we hand it the microsecond magic
 * of the same byte order and read its "microseconds" field as nanoseconds,
 * so one well-tested framer serves all four variants.
 *
 * pcap-parser would buffer without limit on a corrupt record length, so we
 * check every record header and stop the file there, keeping what came before.
 */
export async function framePcap(
  source: AsyncIterable<Uint8Array>,
  ctx: FramerContext,
  sink: FrameSink,
): Promise<FramerSummary> {
  const summary: FramerSummary = { linkTypes: [], frames: 0, bytes: 0 };
  const handlers: Record<string, (arg?: unknown) => void> = {};
  const stream = {
    on(event: string, fn: (arg?: unknown) => void) { handlers[event] = fn; return stream; },
    pause() { /* we push synchronously; nothing to pause */ },
    resume() { /* idem */ },
  };
  const parser = pcapParser.parse(stream);
  let nanos = false;
  let linkType = -1;
  let snaplen = 0;
  const base = ctx.part?.packets ?? 0;
  // Offset in the file of the next record header, and of the byte after what was fed.
  let offset = ctx.part?.offset ?? GLOBAL_HEADER;
  const filePosition = (fed: number): number => (ctx.part ? ctx.part.offset + fed - GLOBAL_HEADER : fed);
  let recordOffset = 0;
  let caplen = 0;
  let failure: InputError | undefined;
  let first = true;

  parser.on('error', (e) => {
    failure ??= new InputError('bad_pcap', ctx.file, 0, e.message);
  });
  parser.on('globalHeader', (h) => {
    linkType = h.linkLayerType & 0x0fffffff; // the top bits carry FCS information (pcap-linktype(7))
    snaplen = h.snapshotLength;
    summary.linkTypes.push(linkType);
  });
  parser.on('packetHeader', (h) => {
    recordOffset = offset;
    caplen = h.capturedLength;
    const limit = Math.max(MAX_FRAME_BYTES, snaplen > 0 && snaplen < 0x7fffffff ? snaplen : 0);
    if (h.capturedLength > limit) {
      failure = new InputError(
        'corrupt_record_length', ctx.file, recordOffset,
        `packet ${base + summary.frames + 1} claims ${h.capturedLength} captured bytes (the file's snap length is ${snaplen}); the record length is corrupt, reading stopped here`,
      );
      parser.errored = true;
    }
  });
  // One frame object, refilled for every packet: a frame is valid only during the sink's call (frame.ts).
  const frame: CaptureFrame = { packet: 0, offset: 0, linkType: 0, tsSec: 0, tsNanos: 0, origLen: 0, data: new Uint8Array(0) };
  parser.on('packet', (p) => {
    summary.frames++;
    const h = p.header;
    frame.packet = base + summary.frames;
    frame.offset = recordOffset;
    frame.linkType = linkType;
    frame.tsSec = h.timestampSeconds;
    frame.tsNanos = nanos ? h.timestampMicroseconds : h.timestampMicroseconds * 1000;
    frame.origLen = h.originalLength;
    frame.data = p.data;
    sink(frame);
    offset = recordOffset + RECORD_HEADER + caplen;
  });

  const feed = handlers.data;
  let done = 0;
  // The magic may arrive split over chunks: hold bytes back until all four are in.
  let held: Uint8Array = new Uint8Array(0);
  const feedFirst = (chunk: Uint8Array): void => {
    if (startsWith(chunk, NSEC_LE) || startsWith(chunk, NSEC_BE)) {
      nanos = true;
      chunk = chunk.slice();
      chunk.set(startsWith(chunk, NSEC_LE) ? USEC_LE : USEC_BE, 0);
    }
    feed(asBuffer(chunk));
  };
  for await (let chunk of source) {
    throwIfAborted(ctx.signal);
    done += chunk.length;
    if (first) {
      if (held.length + chunk.length < 4) {
        held = concat(held, chunk);
        ctx.onBytes?.(done);
        continue;
      }
      first = false;
      if (held.length > 0) chunk = concat(held, chunk);
      feedFirst(chunk);
    } else if (!failure) feed(asBuffer(chunk));
    ctx.onBytes?.(done);
    if (failure) break;
  }
  if (first && held.length > 0) feedFirst(held);
  summary.bytes = done;
  if (failure) {
    ctx.diag.weird({ code: failure.code, file: ctx.file, offset: failure.offset, message: failure.message });
  } else if (done < GLOBAL_HEADER) {
    ctx.diag.weird({ code: 'truncated_header', file: ctx.file, offset: 0, message: `file is ${done} bytes, shorter than a pcap file header` });
  } else if (offset < filePosition(done)) {
    ctx.diag.weird({
      code: 'truncated_record', file: ctx.file, offset,
      message: `capture ends inside packet ${base + summary.frames + 1} (${filePosition(done) - offset} of its bytes present): the file was cut; the ${base + summary.frames} packets before it were read`,
    });
  }
  return summary;
}
