import { decodeFrame, knownLinkType } from '../../decode/registry';
import { FrameView, type DecodeInput } from '../../decode/decode-context';
import type { NetEvent } from '../../events/event';
import type { EventSink, EvidenceReader, FormatId, ReadContext, ReadSummary } from '../reader';
import { frameData, linkTypeName, type CaptureFrame, type FrameSink, type FramerSummary } from './frame';
import { framePcap, sniffPcap, type FramerContext } from './pcap';
import { framePcapng, sniffPcapng } from './pcapng';
import { AddressPrefilter } from './address-prefilter';

type Framer = (source: AsyncIterable<Uint8Array>, ctx: FramerContext, sink: FrameSink) => Promise<FramerSummary>;

/** Records of a capture and the first and last of their times (µs), as a reader's summary keeps them. */
export interface FrameCounts { records: number; firstTs?: number; lastTs?: number }

/**
 * A classic pcap framed somewhere else (another thread) that tests every
 * frame against the address prefilter itself (`addresses`; none: keep all)
 * and hands `sink` only the frames it keeps, in file order, valid during the
 * call as any frame. It counts and dates every frame into `counts` as it
 * goes, reports bytes through `ctx.onBytes`, and its framing diagnostics
 * through `ctx.diag`, as framePcap does.
 */
export type PrefilteringFramer = (ctx: FramerContext, addresses: readonly string[] | undefined, sink: FrameSink, counts: FrameCounts) => Promise<FramerSummary>;

const PROGRESS_EVERY = 4 << 20;

/**
 * Frames into packet events, one per frame, decoded as far as its captured
 * bytes go. `frame` runs the framer with the handler of each frame;
 * `prefilterHere` false: the framer tested the frames against the case's
 * addresses and counted them itself (PrefilteringFramer).
 */
async function readFrames(
  format: FormatId, ctx: ReadContext, sink: EventSink, prefilterHere: boolean,
  frame: (fctx: FramerContext, onFrame: FrameSink, summary: ReadSummary) => Promise<FramerSummary>,
): Promise<ReadSummary> {
  const summary: ReadSummary = {
    file: ctx.file, format, linkTypes: [], records: 0, skipped: 0, bytes: 0, timeInferred: false,
  };
  const unknownLinks = new Set<number>();
  let current: CaptureFrame | undefined;
  const prefilter = prefilterHere && ctx.caseAddresses !== undefined ? new AddressPrefilter(ctx.caseAddresses) : undefined;
  const view = new FrameView();
  const input: DecodeInput = {
    bytes: new Uint8Array(0),
    view,
    end: 0,
    weird: (code, message) => ctx.diag.weird({
      code, file: ctx.file, offset: current?.offset,
      message: `packet ${current?.packet}: ${message}`,
    }),
  };
  let nextProgress = PROGRESS_EVERY;
  const onBytes = (n: number): void => {
    summary.bytes = n;
    if (n >= nextProgress) {
      nextProgress = n + PROGRESS_EVERY;
      ctx.onProgress?.({ file: ctx.file, bytesDone: n, bytesTotal: ctx.size, records: summary.records, stage: 'decoding' });
    }
  };
  const framed = await frame({ file: ctx.file, diag: ctx.diag, signal: ctx.signal, onBytes, part: ctx.pcapPart }, (f) => {
    current = f;
    const ts = f.tsSec * 1_000_000 + Math.floor(f.tsNanos / 1000);
    if (prefilterHere) {
      summary.records++;
      if (summary.firstTs === undefined || ts < summary.firstTs) summary.firstTs = ts;
      if (summary.lastTs === undefined || ts > summary.lastTs) summary.lastTs = ts;
      // Counted and dated like any packet, but the sink would drop its event unseen.
      if (prefilter !== undefined && prefilter.skips(f.linkType, f.bytes, f.start, f.end)) return;
    }
    // Every field in one fixed order: all packet events share one hidden class, which keeps
    // the decoders' property stores and the detectors' reads monomorphic (fast).
    const ns = f.tsNanos % 1000;
    const ev: NetEvent = {
      kind: 'packet', ts, tsNanos: ns || undefined, src: undefined, dst: undefined, src4: undefined, dst4: undefined, sport: undefined, dport: undefined,
      proto: undefined, ipVersion: undefined, tcpFlags: undefined, seq: undefined, ack: undefined, window: undefined,
      tcpOptions: undefined, mss: undefined, ttl: undefined, ipId: undefined, length: f.origLen, payloadLength: undefined,
      payload: undefined, fragment: undefined, icmp: undefined, srcMac: undefined, dstMac: undefined, vlan: undefined,
      source: { file: ctx.file, packet: f.packet, offset: f.offset },
    };
    if (knownLinkType(f.linkType)) {
      // A view made only now, for a frame that is decoded: a plain Uint8Array (frame.ts), never a Node Buffer.
      const bytes = frameData(f);
      input.bytes = bytes;
      view.bytes = bytes;
      input.end = bytes.length;
      decodeFrame(f.linkType, input, ev);
    } else if (!unknownLinks.has(f.linkType)) {
      unknownLinks.add(f.linkType);
      ctx.diag.weird({ code: 'unknown_link_type', file: ctx.file, offset: f.offset, message: `link type ${linkTypeName(f.linkType)} is not decoded; its packets are counted only` });
    }
    sink(ev);
  }, summary);
  summary.bytes = framed.bytes;
  summary.linkTypes = [...new Set(framed.linkTypes)].map(linkTypeName);
  ctx.onProgress?.({ file: ctx.file, bytesDone: framed.bytes, bytesTotal: ctx.size, records: summary.records, stage: 'done' });
  return summary;
}

/**
 * Turn a capture framer into an evidence reader: every frame becomes one
 * packet event, decoded as far as its captured bytes go.
 */
function captureReader(format: FormatId, sniff: (head: Uint8Array) => number, frame: Framer): EvidenceReader {
  return {
    format,
    sniff,
    read: (source, ctx: ReadContext, sink: EventSink): Promise<ReadSummary> => readFrames(format, ctx, sink, true, (fctx, onFrame) => frame(source, fctx, onFrame)),
  };
}

/** A classic pcap read through a framer elsewhere (`framer`): the same summary and events as pcapReader gives. */
export function readPcapFramedElsewhere(framer: PrefilteringFramer, ctx: ReadContext, sink: EventSink): Promise<ReadSummary> {
  return readFrames('pcap', ctx, sink, false, (fctx, onFrame, summary) => framer(fctx, ctx.caseAddresses, onFrame, summary));
}

export const pcapReader = captureReader('pcap', sniffPcap, framePcap);
export const pcapngReader = captureReader('pcapng', sniffPcapng, framePcapng);
