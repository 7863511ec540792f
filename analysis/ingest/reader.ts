import type { Diagnostics } from '../events/diagnostics';
import type { NetEvent } from '../events/event';

/** Every evidence format we recognise, by content. */
export type FormatId =
  | 'pcap'
  | 'pcapng'
  | 'argus'
  | 'netfilter'
  | 'snort'
  | 'scanlogd'
  | 'tcpdump-text'
  | 'zeek-conn'
  | 'nfdump'
  | 'nfcapd'
  | 'fail2ban'
  | 'unknown';

/** How to place times that lack a year or a zone (syslog, ra's time-only column). */
export interface TimeReference {
  /** A moment near the evidence (e.g. the complaint's Date:), ms since epoch. */
  nearMs: number;
  /** IANA zone ("Europe/Berlin") or fixed offset ("UTC+1", "+01:00") the log's local times are in. */
  zone: string;
}

export interface Progress {
  file: string;
  bytesDone: number;
  bytesTotal?: number;
  records: number;
  stage: string;
}

export interface ReadContext {
  /** Display name of the file, used in diagnostics and evidence references. */
  file: string;
  diag: Diagnostics;
  signal?: AbortSignal;
  /** Total size when known, for progress. */
  size?: number;
  reference?: TimeReference;
  onProgress?: (p: Progress) => void;
  /** Read only a part of a classic pcap file (a worker's share of it; see capture/pcap.ts). */
  pcapPart?: { offset: number; packets: number };
  /**
   * The addresses the sink looks at: it drops every event from and to none
   * of them (a case's analysis does). A capture reader then skips decoding
   * the IPv4 frames it can tell are such (capture/address-prefilter.ts),
   * counting and dating them all the same. Absent: every event is wanted.
   */
  caseAddresses?: readonly string[];
}

/** What a reader learned about a file besides its events. */
export interface ReadSummary {
  file: string;
  format: FormatId;
  /** Link types seen, by LINKTYPE_ name (captures only). */
  linkTypes: string[];
  /** Packets (captures) or records (text) read successfully. */
  records: number;
  /** Lines that were not records of the format (text only). */
  skipped: number;
  bytes: number;
  firstTs?: number;
  lastTs?: number;
  /** True when some times were resolved from the reference (no year/zone in the file). */
  timeInferred: boolean;
  /** Set when the file could not be read to its end. */
  error?: string;
}

export type EventSink = (event: NetEvent) => void;

/**
 * A reader recognises its format from the first bytes and turns the whole
 * file into events, pushing them to the sink as it goes. It never throws for
 * malformed content: it records a weird and continues or stops at that file.
 */
export interface EvidenceReader {
  format: FormatId;
  /** Confidence 0..1 that `head` (the first up to 64 KiB) is this format. */
  sniff(head: Uint8Array): number;
  read(source: AsyncIterable<Uint8Array>, ctx: ReadContext, sink: EventSink): Promise<ReadSummary>;
}

/**
 * A text log format: a reader built from a per-line parser, so the same parser
 * also reads log lines quoted inside a complaint.
 */
export interface LineParser {
  format: FormatId;
  /** Confidence 0..1 that this line belongs to the format. */
  match(line: string): number;
  /**
   * Parse one line. Returns null when the line is not a record (header,
   * comment, blank). `lineNo` is 1-based, `offset` the byte offset of the line.
   */
  parse(line: string, at: { file: string; line: number; offset: number }, ctx: LineContext): NetEvent | null;
  /**
   * At the end of the file: where a record spread over several lines (tcpdump -v,
   * Snort alert-full, wrapped argus) begins when its last line never came, so
   * the reader can say the file was cut there instead of losing it silently.
   */
  pending?(ctx: LineContext): { line: number; offset: number } | undefined;
}

export interface LineContext {
  diag: Diagnostics;
  reference?: TimeReference;
  /** Parser state that spans lines (Zeek's #fields header, argus column layout). */
  state: Record<string, unknown>;
}
