import ipaddr from 'ipaddr.js';
import { boundedMemo } from './bounded-memo';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

const FOUR_PART = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/**
 * Parse an address strictly (ipaddr.js `isValid` rejects the classful
 * shorthands like "10.1" that `parse` would accept). IPv4-mapped IPv6
 * addresses become plain IPv4. Returns null for anything else.
 */
export function parseAddress(text: string): Addr | null {
  // The replacements only where they can apply: every word of a complaint that might be an address comes here.
  let t = text.trim();
  if (t.startsWith('[') || t.endsWith(']')) t = t.replace(/^\[|\]$/g, '');
  if (t.includes('%')) t = t.replace(/%[\w.-]+$/, '');
  if (!t) return null;
  try {
    // What isValidFourPartDecimal accepts (no leading zeros, each part at most 255), read once:
    // it would parse the text twice, and a complaint's every word is asked about.
    if (FOUR_PART.test(t)) {
      const octets = t.split('.').map(Number);
      return octets.every((o) => o <= 255) ? new ipaddr.IPv4(octets) : null;
    }
    if (t.includes(':') && ipaddr.IPv6.isValid(t)) {
      const a = ipaddr.IPv6.parse(t);
      return a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
    }
  } catch {
    return null;
  }
  return null;
}

/** True when `text` is a valid IPv4 (dotted quad) or IPv6 address. */
export function isAddress(text: string): boolean {
  return parseAddress(text) !== null;
}

/** Canonical text form: dotted quad, or RFC 5952 compressed lower-case IPv6. */
export function normalizeAddress(text: string): string | null {
  const a = parseAddress(text);
  return a ? a.toString() : null;
}

function parseCidr(cidr: string): [Addr, number] | null {
  const t = cidr.trim();
  if (!t) return null;
  try {
    if (t.includes('/')) {
      const [a, len] = ipaddr.parseCIDR(t);
      if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() && len >= 96) {
        return [(a as ipaddr.IPv6).toIPv4Address(), len - 96];
      }
      return [a, len];
    }
    const a = parseAddress(t);
    if (!a) return null;
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/**
 * Parsed blocks by their text: the same few lists (documentation ranges, our
 * networks) are asked about for every address a case mentions, and parsing a
 * block costs far more than matching it. Bounded: a list from outside (an
 * operator's file, a complaint) cannot grow it without end.
 */
const cachedCidr = boundedMemo(parseCidr);

/** Is `addr` inside any of the CIDR blocks (bare addresses count as /32 or /128)? Invalid entries are ignored. */
export function inCidrs(addr: string, cidrs: readonly string[]): boolean {
  const a = parseAddress(addr);
  if (!a) return false;
  for (const c of cidrs) {
    const range = cachedCidr(c);
    if (!range || range[0].kind() !== a.kind()) continue;
    if (a.match(range as [Addr, number])) return true;
  }
  return false;
}

/**
 * The documentation ranges (RFC 5737, RFC 3849). ipaddr.js calls them
 * "reserved", but our tests and examples use them as ordinary routable
 * addresses, so they are never bogons here.
 */
const DOCUMENTATION = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'];

export function isLoopback(addr: string): boolean {
  return parseAddress(addr)?.range() === 'loopback';
}

/** RFC 1918, carrier-grade NAT (RFC 6598) and IPv6 unique-local (RFC 4193). */
export function isPrivate(addr: string): boolean {
  const r = parseAddress(addr)?.range();
  return r === 'private' || r === 'carrierGradeNat' || r === 'uniqueLocal';
}

/**
 * Why an address cannot be a host on the public Internet, or null when it
 * can. Loopback, private, link-local, unspecified/"this network",
 * multicast, broadcast and reserved ranges are bogons; documentation
 * ranges are treated as routable.
 */
export function bogonReason(addr: string): string | null {
  return bogonReasonMemo(addr);
}

/**
 * Answers by address: the detectors each ask about every accused host
 * against every target (unreachableSourceReason), the same few addresses
 * thousands of times in a report that lists many. Bounded like cachedCidr.
 */
const bogonReasonMemo = boundedMemo((addr) => bogonReasonOf(addr));

function bogonReasonOf(addr: string): string | null {
  const a = parseAddress(addr);
  if (!a) return 'not an IP address';
  if (inCidrs(addr, DOCUMENTATION)) return null;
  switch (a.range()) {
    case 'loopback': return 'loopback: no network can route it';
    case 'private': return 'private (RFC 1918): not routable on the Internet';
    case 'carrierGradeNat': return 'carrier-grade NAT space (RFC 6598): not routable on the Internet';
    case 'uniqueLocal': return 'unique-local (RFC 4193): not routable on the Internet';
    case 'linkLocal': return 'link-local: it never leaves its own link';
    case 'unspecified': return 'unspecified ("this network"): not a valid source on the Internet';
    case 'multicast': return 'multicast: not a single host';
    case 'broadcast': return 'broadcast: not a single host';
    case 'reserved': return 'reserved: not routable on the Internet';
    default: return null;
  }
}

/** True for any address that cannot be a host on the public Internet (see `bogonReason`). */
export function isBogon(addr: string): boolean {
  return bogonReason(addr) !== null;
}

/**
 * Why packets "from" `addr` cannot have crossed the Internet to `peers`, or
 * null when they can. Loopback, unspecified and multicast sources never can;
 * private and link-local sources can only reach peers inside the same kind
 * of space (a LAN complaining about a LAN host is an internal matter, not an
 * impossible source).
 */
export function unreachableSourceReason(addr: string, peers: readonly string[]): string | null {
  const a = parseAddress(addr);
  if (!a) return null;
  const range = a.range();
  if (range === 'loopback' || range === 'unspecified' || range === 'multicast' || range === 'broadcast' || range === 'reserved') {
    return bogonReason(addr);
  }
  // bogonReason is null only for an address that is public (an unreadable one is 'not an IP address').
  if (isBogon(addr) && peers.length > 0 && peers.every((p) => bogonReason(p) === null)) return bogonReason(addr);
  return null;
}
