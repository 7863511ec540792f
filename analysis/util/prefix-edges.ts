/**
 * Addresses that name a network rather than a host: the network and
 * broadcast addresses of our prefixes (198.51.100.0 and 198.51.100.255 of
 * 198.51.100.0/24), multicast and the limited broadcast. A complaint that
 * says our host sent "to the broadcast address 198.51.100.255" names no
 * complainant by it, and no such address is a host we could accuse: these
 * are never taken as the accused or the complainant.
 *
 * Pure: ipaddr.js only.
 */
import ipaddr from 'ipaddr.js';
import { parseAddress } from './net';
import { boundedMemo } from './bounded-memo';

/** Prefixes longer than this have no network or broadcast address of their own (RFC 3021 /31, a /32 host). */
const MAX_EDGED_PREFIX = 30;

type Edges = { network: string; broadcast: string } | null;

/**
 * Edges by CIDR text: every address a complaint mentions is checked against
 * each accused host's /24, and ipaddr.js reads an IPv4 CIDR only after an
 * IPv6 attempt has thrown, which costs more than the rest of the check.
 * Bounded so that no list from outside grows it without end. Null: IPv6, a
 * /31 or /32, or not a CIDR.
 */
const edgesOf = boundedMemo((cidr) => readEdges(cidr));

function readEdges(cidr: string): Edges {
  try {
    const [a, len] = ipaddr.parseCIDR(cidr.trim());
    if (a.kind() !== 'ipv4' || len > MAX_EDGED_PREFIX) return null;
    const block = `${a.toString()}/${len}`;
    return { network: ipaddr.IPv4.networkAddressFromCIDR(block).toString(), broadcast: ipaddr.IPv4.broadcastAddressFromCIDR(block).toString() };
  } catch {
    return null;
  }
}

/**
 * Why `addr` is not a single host, in words ("the broadcast address of our
 * network 198.51.100.0/24"), or null when it may be one. `ourNets` are our
 * prefixes; with none known, `near` (the accused) stands for them: the
 * network and broadcast address of an accused host's /24.
 */
export function notAHost(addr: string, ourNets: readonly string[], near: readonly string[] = []): string | null {
  const a = parseAddress(addr);
  if (!a) return null;
  const range = a.range();
  if (range === 'multicast') return 'a multicast group, not a single host';
  if (range === 'broadcast') return 'the limited broadcast address, not a single host';
  if (a.kind() !== 'ipv4') return null;
  const text = a.toString();
  const edge = (cidr: string, whose: string): string | null => {
    const e = edgesOf(cidr);
    if (text === e?.broadcast) return `the broadcast address of ${whose}`;
    if (text === e?.network) return `the network address of ${whose}`;
    return null;
  };
  for (const cidr of ourNets) {
    const why = edge(cidr, `our network ${cidr.trim()}`);
    if (why) return why;
  }
  if (ourNets.length === 0) {
    for (const n of near) {
      const h = parseAddress(n);
      if (!h || h.kind() !== 'ipv4' || h.toString() === text) continue;
      const lan = `${h.toByteArray().slice(0, 3).join('.')}.0/24`;
      const why = edge(lan, `${lan}, the accused host's /24`);
      if (why) return why;
    }
  }
  return null;
}
