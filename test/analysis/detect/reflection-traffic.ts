import { Capture } from '../../helpers/reply-evidence';

/**
 * Reflection traffic written byte by byte: DNS queries and answers laid
 * out as RFC 1035 §4.1 says (header, question, an EDNS OPT record as
 * RFC 6891 §6.1.2 puts it), so the sizes the tests assert are the sizes
 * the capture holds.
 */

export const US = '198.51.100.53';
export const THEM = '203.0.113.80';
export const T0 = Date.UTC(2025, 11, 18, 3, 0, 0) * 1000;

function qname(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) out.push(label.length, ...[...label].map((c) => c.charCodeAt(0)));
  out.push(0);
  return out;
}

const TYPES: Record<string, number> = { A: 1, TXT: 16, AAAA: 28, ANY: 255 };

/** A DNS query: 12-byte header (RD set), the question, and an OPT record advertising 4096-byte answers when `edns`. */
export function dnsQuery(id: number, name: string, type: keyof typeof TYPES, edns = true): Uint8Array {
  const q = [...qname(name), 0, TYPES[type], 0, 1];
  const opt = edns ? [0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0] : [];
  return new Uint8Array([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0, ...q, ...opt]);
}

/** A DNS response of exactly `size` bytes to that query: QR set, the question echoed, answer bytes after it. */
export function dnsAnswer(query: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, query.length));
  out.set(query);
  out[2] = 0x81;
  out[3] = 0x80;
  out[7] = 1;
  for (let i = query.length; i < out.length; i++) out[i] = 0x41 + (i % 26);
  return out;
}

export interface FloodOptions {
  n: number;
  /** Microseconds between requests. */
  gapUs: number;
  answerSize: number;
  /** TTLs the forged requests arrive with, in turn (one per sending bot). */
  ttls?: number[];
  /** Leave our answers out (a capture that saw only the requests) or the requests (only the answers). */
  withRequests?: boolean;
  withAnswers?: boolean;
  name?: string;
  type?: keyof typeof TYPES;
  start?: number;
}

/** Requests forged with THEM's address, each answered by our resolver 300 µs later. */
export function dnsFlood(o: FloodOptions, cap = new Capture()): { cap: Capture; requestBytes: number; answerBytes: number } {
  let requestBytes = 0;
  let answerBytes = 0;
  const ttls = o.ttls ?? [54];
  for (let i = 0; i < o.n; i++) {
    const t = (o.start ?? T0) + i * o.gapUs;
    const query = dnsQuery((i * 7919) & 0xffff, o.name ?? 'isc.org', o.type ?? 'ANY');
    const answer = dnsAnswer(query, o.answerSize);
    // The victim's port: the attacker aims at one (here 80), and the answers go there.
    if (o.withRequests !== false) {
      cap.udp(t, { src: THEM, dst: US, sport: 80, dport: 53, payload: query, ttl: ttls[i % ttls.length] });
      requestBytes += query.length;
    }
    if (o.withAnswers !== false) {
      cap.udp(t + 300, { src: US, dst: THEM, sport: 53, dport: 80, payload: answer, ttl: 64 });
      answerBytes += answer.length;
    }
  }
  return { cap, requestBytes, answerBytes };
}

/** A real client: `names` varied lookups (A then AAAA) spread over `spanS` seconds, each answered at about twice its size. */
export function realClient(names: string[], spanS: number, cap = new Capture(), start = T0): Capture {
  names.forEach((name, i) => {
    const t = start + Math.round((i * spanS * 1e6) / names.length);
    for (const [k, type] of (['A', 'AAAA'] as const).entries()) {
      const query = dnsQuery(1000 + i * 2 + k, name, type, false);
      cap.udp(t + k * 2000, { src: THEM, dst: US, sport: 40000 + i * 2 + k, dport: 53, payload: query, ttl: 64 });
      cap.udp(t + k * 2000 + 900, { src: US, dst: THEM, sport: 53, dport: 40000 + i * 2 + k, payload: dnsAnswer(query, query.length * 2 + 16), ttl: 64 });
    }
  });
  return cap;
}
