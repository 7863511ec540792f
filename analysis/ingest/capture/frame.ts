/**
 * One captured frame as a capture file stores it, before any decoding.
 * Both the classic pcap and the pcapng framers produce these; the capture
 * reader turns them into events through the link-layer dispatch table.
 */
export interface CaptureFrame {
  /** 1-based packet number in file order (as Wireshark numbers them). */
  packet: number;
  /** Byte offset of the record header (pcap record header, pcapng block) in the file. */
  offset: number;
  /** LINKTYPE_ value of the interface the frame was captured on. */
  linkType: number;
  /** Seconds since the epoch, whole part. */
  tsSec: number;
  /** Fraction of the second in nanoseconds (0..999999999). */
  tsNanos: number;
  /** Bytes on the wire. */
  origLen: number;
  /**
   * The captured bytes (may be shorter than origLen: snap length) are
   * `bytes[start..end)`, in the framer's buffer; `frameData` views them.
   * Valid only during the callback. A frame is looked at in place: on a big
   * capture most frames are dated, tested by the address prefilter and
   * dropped, and a view per frame was a third of what reading allocated.
   * (A `data` getter cost a flood a tenth of its time: an accessor on the
   * frame slows every read of its fields.)
   */
  bytes: Uint8Array;
  start: number;
  end: number;
}

/** A frame's captured bytes as a view of their own: a plain Uint8Array (decoders take subarrays of it; a Node Buffer's are slower to make). */
export function frameData(f: CaptureFrame): Uint8Array {
  return f.bytes.subarray(f.start, f.end);
}

export type FrameSink = (frame: CaptureFrame) => void;

/** One frame object for a framer to refill at every packet: frames are valid only during the sink's call. */
export function reusableFrame(): CaptureFrame {
  return { packet: 0, offset: 0, linkType: 0, tsSec: 0, tsNanos: 0, origLen: 0, bytes: new Uint8Array(0), start: 0, end: 0 };
}

/** A frame kept past the callback, or built by hand: it owns its bytes, all of `data`. */
export type OwnedFrame = CaptureFrame & { data: Uint8Array };

export function ownFrame(fields: Omit<CaptureFrame, 'bytes' | 'start' | 'end'>, data: Uint8Array): OwnedFrame {
  return { packet: fields.packet, offset: fields.offset, linkType: fields.linkType, tsSec: fields.tsSec, tsNanos: fields.tsNanos, origLen: fields.origLen, data, bytes: data, start: 0, end: data.length };
}

/** What a framer reports about the file besides frames. */
export interface FramerSummary {
  /** Link types by interface, in order of appearance. */
  linkTypes: number[];
  frames: number;
  bytes: number;
}

/** Captured frames larger than this are treated as a corrupt record length (largest real snaplen is 262144). */
export const MAX_FRAME_BYTES = 256 * 1024 + 1024;

/** LINKTYPE_ names for the link types we decode (tcpdump.org/linktypes.html). */
export const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'ETHERNET', 101: 'RAW', 108: 'LOOP', 113: 'LINUX_SLL', 228: 'IPV4', 229: 'IPV6',
  239: 'NFLOG', 276: 'LINUX_SLL2',
};

export function linkTypeName(t: number): string {
  return LINKTYPE_NAMES[t] ?? `LINKTYPE_${t}`;
}
