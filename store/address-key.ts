/**
 * Addresses as fixed-width sortable keys, so "is this address inside that CIDR"
 * becomes `addr_key BETWEEN lo AND hi` on an index. The key is the 16-byte
 * IPv6 form (IPv4 as ::ffff:a.b.c.d) in 32 lower-case hex digits.
 */
import type ipaddr from 'ipaddr.js';
import { parseAddress as parse } from '../analysis/util/net';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

const hex = (bytes: number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

function bytes16(a: Addr): number[] {
  return a.kind() === 'ipv4' ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...a.toByteArray()] : a.toByteArray();
}

/** Canonical text form (dotted quad, RFC 5952 IPv6), or null when not an address. */
export function canonicalAddress(text: string): string | null {
  return parse(text)?.toString() ?? null;
}

/** The sortable key of an address, or null when `text` is not one. */
export function addressKey(text: string): string | null {
  const a = parse(text);
  return a ? hex(bytes16(a)) : null;
}

/** The inclusive key range of an address or CIDR ("198.51.100.0/24", "2001:db8::/32"), or null when invalid. */
export function cidrKeyRange(text: string): { lo: string; hi: string; width: number } | null {
  const t = text.trim();
  const slash = t.indexOf('/');
  const a = parse(slash < 0 ? t : t.slice(0, slash));
  if (!a) return null;
  const max = a.kind() === 'ipv4' ? 32 : 128;
  const lenText = slash < 0 ? String(max) : t.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > max) return null;
  const len = Number(lenText);
  const prefix = len + (a.kind() === 'ipv4' ? 96 : 0);
  const b = bytes16(a);
  const lo = b.slice();
  const hi = b.slice();
  for (let bit = prefix; bit < 128; bit++) {
    const i = bit >> 3;
    const m = 0x80 >> (bit & 7);
    lo[i] &= ~m & 0xff;
    hi[i] |= m;
  }
  return { lo: hex(lo), hi: hex(hi), width: 2 ** (128 - prefix) };
}
