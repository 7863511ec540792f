/**
 * Our customers by address: the operator's list of prefixes (CIDR) with the
 * customer, a contact and notes; an address maps to the entry with the
 * longest prefix that holds it (a /29 sold to a reseller's customer wins
 * over the reseller's /24), so the case, the queue and the host view can say
 * whose machine it is.
 *
 * Lookup masks the address to each prefix length present, longest first, and
 * probes one map per length: at most 33 (IPv4) or 129 (IPv6) probes whatever
 * the table's size.
 */
import ipaddr from 'ipaddr.js';
import { parseAddress } from '../util/net';

export interface CustomerEntry {
  /** The prefix as written, normalised ("198.51.100.0/24"). */
  prefix: string;
  customer: string;
  contact?: string;
  notes?: string;
}

type Kind = 'ipv4' | 'ipv6';

function bytesOf(a: ipaddr.IPv4 | ipaddr.IPv6): number[] {
  return a.toByteArray();
}

/** The first `len` bits of the address, as a hex key. */
function maskedKey(bytes: number[], len: number): string {
  let key = '';
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    const b = keep === 0 ? 0 : bytes[i] & (0xff << (8 - keep)) & 0xff;
    key += b.toString(16).padStart(2, '0');
  }
  return key;
}

/** A CIDR (or a bare address, as /32 or /128) in canonical form, or null. */
export function parsePrefix(text: string): { kind: Kind; bytes: number[]; len: number; text: string } | null {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addrText = slash >= 0 ? t.slice(0, slash) : t;
  const a = parseAddress(addrText);
  if (!a) return null;
  const kind = a.kind() as Kind;
  const max = kind === 'ipv4' ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const lenText = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lenText)) return null;
    len = Number(lenText);
    // An IPv4-mapped IPv6 prefix was read as IPv4 by parseAddress: its length counts from bit 96.
    if (kind === 'ipv4' && addrText.includes(':')) len -= 96;
    if (len < 0 || len > max) return null;
  }
  const bytes = bytesOf(a);
  const network = maskedKey(bytes, len);
  const netBytes = network.match(/../g)!.map((h) => parseInt(h, 16));
  const netAddr = ipaddr.fromByteArray(netBytes);
  return { kind, bytes: netBytes, len, text: `${netAddr.toString()}/${len}` };
}

export class CustomerTable {
  /** Per family: prefix length → (masked key → entry); lengths kept longest first. */
  private readonly byLength: Record<Kind, Map<number, Map<string, CustomerEntry>>> = { ipv4: new Map(), ipv6: new Map() };
  private lengths: Record<Kind, number[]> = { ipv4: [], ipv6: [] };
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Add an entry; a later entry for the same prefix replaces the earlier one. Returns false for a bad prefix. */
  add(entry: CustomerEntry): boolean {
    const p = parsePrefix(entry.prefix);
    if (!p) return false;
    let table = this.byLength[p.kind].get(p.len);
    if (!table) {
      table = new Map();
      this.byLength[p.kind].set(p.len, table);
      this.lengths[p.kind] = [...this.byLength[p.kind].keys()].sort((a, b) => b - a);
    }
    const key = maskedKey(p.bytes, p.len);
    if (!table.has(key)) this.count++;
    table.set(key, { ...entry, prefix: p.text });
    return true;
  }

  /** The entry with the longest prefix holding the address, or null. */
  lookup(address: string): CustomerEntry | null {
    const a = parseAddress(address);
    if (!a) return null;
    const kind = a.kind() as Kind;
    const bytes = bytesOf(a);
    for (const len of this.lengths[kind]) {
      const hit = this.byLength[kind].get(len)!.get(maskedKey(bytes, len));
      if (hit) return hit;
    }
    return null;
  }

  entries(): CustomerEntry[] {
    const out: CustomerEntry[] = [];
    for (const kind of ['ipv4', 'ipv6'] as const) for (const len of this.lengths[kind]) out.push(...this.byLength[kind].get(len)!.values());
    return out;
  }
}
