import type { NetEvent } from '../events/event';

/** What the complainant says our host did. */
export type Activity =
  | 'port-scan'
  | 'sweep'
  | 'flood'
  | 'brute-force'
  | 'worm'
  | 'spam'
  | 'other';

/** A time stamp found in the complaint, with the zone it was written in. */
export interface ComplaintTime {
  /** Microseconds since the epoch, UTC, after applying the zone. */
  ts: number;
  /** The text as written, e.g. "2025-12-18 00:40 UTC", "Feb  1 23:00:01". */
  text: string;
  /** The zone that was applied ("UTC", "UTC+01:00", "Europe/Berlin"). */
  zone: string;
  /** True when the zone (or year) was not written next to the time and was assumed. */
  zoneAssumed: boolean;
  /** The time read with day and month swapped, when the text allows both ("03/04/2026" is 4 March or 3 April). */
  swappedTs?: number;
}

/** An attachment of a complaint mail, handed on as evidence. */
export interface ComplaintAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** The complaint as understood: who complains, about whom, what, when. */
export interface Complaint {
  /** Where the complaint came from: 'text', 'eml', 'arf', 'xarf-yaml', 'xarf-json'. */
  format: string;
  subject?: string;
  /** Message-ID, for threading replies. */
  messageId?: string;
  /** The complaint's Date: header, ms since epoch. */
  dateMs?: number;
  reporter: {
    address?: string;
    name?: string;
    organisation?: string;
  };
  /** Addresses the complaint accuses (before our-network filtering). */
  accused: string[];
  /** Addresses of the complainant's side that were targeted. */
  targets: string[];
  /** Ports mentioned as targeted or as the source of the traffic. */
  ports: { source: number[]; destination: number[] };
  protocol?: 'tcp' | 'udp' | 'icmp';
  activity: Activity;
  /** Every time stamp found, in order of appearance. */
  times: ComplaintTime[];
  /** The zone the complainant writes in (for the reply's second time column). */
  zone: string;
  /** Their log lines, parsed by the same readers as evidence files. */
  quotedEvents: NetEvent[];
  /** Numbers the complaint states ("137 ports", "21 ports scanned"). */
  claimedCount?: number;
  /** The sensor that fired, when recognisable ("snort", "scanlogd", "fail2ban", "ipcop"). */
  sensor?: string;
  /** The plain text body we analysed (never HTML). */
  text: string;
  attachments: ComplaintAttachment[];
  warnings: string[];
  /** Port ranges as written ("ports 1-1024"); small ranges are also listed in `ports`. */
  portRanges?: Array<{ from: number; to: number; side: 'source' | 'destination' }>;
  /** Fields of a machine-readable report (ARF feedback report, X-ARF, CSV) as written. */
  reportFields?: Record<string, string>;
}
