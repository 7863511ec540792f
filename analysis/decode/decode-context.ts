import type { NetEvent } from '../events/event';

/**
 * What every decoder gets: the frame's bytes, a DataView over them, where
 * the captured bytes end, and a way to record malformed input. Decoders read
 * one header, fill in the event and hand the rest on through the dispatch
 * table (Zeek's packet-analyzer chain).
 */
export interface DecodeInput {
  bytes: Uint8Array;
  view: DataView;
  /** End of the captured bytes (exclusive); headers past it are cut by the snap length. */
  end: number;
  /** Record malformed input for this packet (file and offset are added by the caller). */
  weird(code: string, message: string): void;
}

export type Decoder = (input: DecodeInput, offset: number, ev: NetEvent) => void;

/** Hex MAC address "00:11:22:33:44:55" from six bytes at `off`. */
export function macAt(b: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = b[off + i];
    s += (i ? ':' : '') + HEX[v];
  }
  return s;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function ipv4At(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** IPv6 text in RFC 5952 canonical form (longest zero run compressed, lower case). */
export function ipv6At(b: Uint8Array, off: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  // IPv4-mapped addresses print with a dotted tail, as tshark does.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (w: number): string => w.toString(16);
  if (bestStart < 0) return words.map(hex).join(':');
  const head = words.slice(0, bestStart).map(hex).join(':');
  const tail = words.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** Keep at most this many payload bytes on an event: enough for a request line or a DNS question. */
export const PAYLOAD_KEEP = 64;
