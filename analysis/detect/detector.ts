import type { Complaint } from '../complaint/complaint';
import type { EvidenceSource, NetEvent } from '../events/event';
import type { Inventory } from '../triage/inventory';

/** What a finding argues for. `context` findings inform the reply but weigh for no verdict. */
export type Leaning = 'backscatter' | 'legitimate' | 'compromise' | 'context';

/** A pointer to one packet or line that supports a finding, quotable in the reply. */
export interface EvidenceRef extends EvidenceSource {
  /** One-line rendering of the record: "00:40:01.123 198.51.100.80:80 > 192.0.2.66:40001 SYN-ACK". */
  excerpt: string;
  ts?: number;
}

export interface Finding {
  /** Stable id of the finding kind, e.g. `synflood-backscatter`, `udp-burst-worm`. */
  id: string;
  /** Which detector produced it. */
  detector: string;
  leaning: Leaning;
  /** Strength 0..1 of this finding taken alone. */
  strength: number;
  /** One sentence for the operator and the reply. */
  summary: string;
  /** Longer explanation a network engineer at the other end will accept. */
  explanation?: string;
  evidence: EvidenceRef[];
  /**
   * True when the finding reports a bound the detector reached (what it counted but could not
   * analyse), not evidence: the pipeline puts it in the notes, never in the verdict or the reply.
   */
  bound?: boolean;
  /** Facts for the draft and notes (counts, ports, MAC addresses). */
  facts?: Record<string, string | number | boolean | string[] | number[]>;
}

/** Everything a detector may look at. Pure data; detectors do no I/O. */
export interface DetectContext {
  complaint: Complaint;
  /** Addresses we are answering for (the accused, filtered to our networks). */
  accused: string[];
  /** The complainant's addresses (targets of the alleged activity). */
  targets: string[];
  /** Events that involve an accused or target address, in time order. */
  events: NetEvent[];
  /** True when `addr` is inside our networks (or accused, when no networks were given). */
  isOurs(addr: string): boolean;
  /** Clock offset found between the complaint and our evidence, seconds (complaint time - evidence time). */
  timeOffsetSeconds: number;
  /** Our hosts and what they run, when the operator keeps an inventory. */
  inventory?: Inventory;
}

export interface Detector {
  id: string;
  detect(ctx: DetectContext): Finding[];
}
