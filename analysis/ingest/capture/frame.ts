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
   * The captured bytes (may be shorter than origLen: snap length). Valid only during the callback.
   * A plain Uint8Array view, never a Node Buffer (decoders take subarrays of it; a Buffer's are slower to make).
   */
  data: Uint8Array;
}

export type FrameSink = (frame: CaptureFrame) => void;

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
