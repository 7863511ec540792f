/**
 * What every benchmark shape provides: a seeded generator that streams a
 * classic pcap of at least the target size, the complaint that goes with it,
 * and where in the capture the contiguous 1% slice starts (a point where the
 * complained-about pattern is under way, so that the slice shows it too).
 */
export interface Mark {
  /** 0-based index of the first packet of the slice. */
  packet: number;
  /** Its time, microseconds since the epoch. */
  ts: number;
}

export interface Generated {
  packets: number;
  bytes: number;
  mark: Mark;
  /** The complaint as the complainant sends it (mail headers and body). */
  complaint: string;
  /** What the generator counted (distinct sources, flows, probes ...), for the report. */
  facts: Record<string, number>;
}

export interface Shape {
  id: string;
  title: string;
  /** Bumped whenever the bytes a generator writes change: cached captures of another version are rewritten. */
  version: number;
  /** Our network, handed to analyze as --our-net. */
  ourNet: string;
  generate(path: string, targetBytes: number, onProgress: (bytes: number) => void): Generated;
}

/** 2026-01-01T02:10:00Z (03:10 CET): every shape's capture starts here. */
export const START_MICROS = Date.UTC(2026, 0, 1, 2, 10, 0) * 1000;

export const OUR_NET = 0xc6336400; // 198.51.100.0/24
export const OUR_NET_CIDR = '198.51.100.0/24';

/** A time as a European complainant writes it in January: CET, UTC+1. */
export function cet(micros: number): string {
  return `${new Date(Math.floor(micros / 1000) + 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} CET`;
}

/** A plain complaint mail. */
export function complaintMail(from: string, subject: string, body: string, dateMicros: number): string {
  const date = new Date(Math.floor(dateMicros / 1000) + 3_600_000 * 2);
  const rfc2822 = date.toUTCString().replace('GMT', '+0000');
  return `From: ${from}\nTo: abuse@example.org\nDate: ${rfc2822}\nSubject: ${subject}\n\n${body}\n`;
}
