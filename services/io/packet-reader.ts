/**
 * One packet of a capture file on disk, for the packet view: the file is
 * streamed to the packet (pcap or pcapng, by content), then once more for the
 * conversation it belongs to. Only the packet and the bounded conversation
 * are kept; reading stops as soon as nothing more can change the answer.
 */
import { open } from 'node:fs/promises';
import { ConversationCollector, CONVERSATION_LIMITS, type ConversationLimits } from '../../analysis/decode/conversation';
import { describeFrame, type PacketDetail } from '../../analysis/decode/packet-detail';
import { Diagnostics } from '../../analysis/events/diagnostics';
import type { CaptureFrame, FrameSink, FramerSummary } from '../../analysis/ingest/capture/frame';
import { framePcap, sniffPcap, type FramerContext } from '../../analysis/ingest/capture/pcap';
import { framePcapng, sniffPcapng } from '../../analysis/ingest/capture/pcapng';
import { fileChunks } from './file-source';

/** Why a packet cannot be shown: the host turns the code into the contract's. */
export class PacketReadError extends Error {
  constructor(readonly code: 'not_found' | 'not_a_capture' | 'io', message: string) {
    super(message);
    this.name = 'PacketReadError';
  }
}

type Framer = (source: AsyncIterable<Uint8Array>, ctx: FramerContext, sink: FrameSink) => Promise<FramerSummary>;

/** Thrown from the frame sink to stop reading once the answer is complete. */
class Enough extends Error {}

async function framerFor(path: string): Promise<Framer> {
  const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new PacketReadError(e.code === 'ENOENT' ? 'not_found' : 'io', `cannot read the evidence file: ${e.message}`);
  });
  try {
    const head = new Uint8Array(16);
    const { bytesRead } = await fh.read(head, 0, 16, 0);
    const h = head.subarray(0, bytesRead);
    if (sniffPcap(h)) return framePcap;
    if (sniffPcapng(h)) return framePcapng;
  } finally {
    await fh.close();
  }
  throw new PacketReadError('not_a_capture', 'this evidence file is not a capture (pcap or pcapng): it has lines, not packets');
}

/** Run the framer over the file; the sink returns true to stop. Resolves true when the whole file was read. */
async function scan(path: string, file: string, framer: Framer, sink: (f: CaptureFrame) => boolean): Promise<boolean> {
  try {
    await framer(fileChunks(path), { file, diag: new Diagnostics() }, (f) => {
      if (sink(f)) throw new Enough();
    });
    return true;
  } catch (e) {
    if (e instanceof Enough) return false;
    throw e;
  }
}

export interface ReadPacketOptions {
  /** The name shown for the file (the vault names files by SHA-256). */
  file: string;
  limits?: ConversationLimits;
}

/** Packet `packet` (1-based, as Wireshark numbers them) of the capture at `path`, with its conversation. */
export async function readPacket(path: string, packet: number, opts: ReadPacketOptions): Promise<PacketDetail> {
  const framer = await framerFor(path);
  let detail: PacketDetail | null = null;
  let frames = 0;
  await scan(path, opts.file, framer, (f) => {
    frames = f.packet;
    if (f.packet !== packet) return false;
    detail = describeFrame(f, opts.file);
    return true;
  });
  const found = detail as PacketDetail | null;
  if (!found) throw new PacketReadError('not_found', `${opts.file} has ${frames} packet${frames === 1 ? '' : 's'}; there is no packet ${packet}`);
  if (!found.key) return found;
  const collector = new ConversationCollector(found.key, packet, opts.limits ?? CONVERSATION_LIMITS);
  const complete = await scan(path, opts.file, framer, (f) => {
    collector.add(f, opts.file);
    return collector.full;
  });
  return { ...found, conversation: collector.finish(complete) };
}
