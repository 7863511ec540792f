import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { fcParams, fuzzRuns } from '../../helpers/fuzz-seed';
import { bogonReason, inCidrs, isBogon, isLoopback, isPrivate, normalizeAddress, parseAddress } from '../../../analysis/util/net';

describe('parseAddress / normalizeAddress', () => {
  it('accepts dotted quads and IPv6, rejects shorthands and junk', () => {
    expect(normalizeAddress('198.51.100.10')).toBe('198.51.100.10');
    expect(normalizeAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(normalizeAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress('[2001:db8::2]')).toBe('2001:db8::2');
    for (const bad of ['10.1', '256.1.1.1', '1.2.3', 'hello', '', '12:00:01', '0x7f.1']) expect(parseAddress(bad)).toBeNull();
  });

  it("reads a dotted quad exactly as ipaddr.js's isValidFourPartDecimal and parse do (its own fast path)", () => {
    const octet = fc.oneof(fc.nat(300).map(String), fc.constantFrom('00', '01', '007', '255', '256', '1000', '0x1', '', ' 1', '٣'));
    const quad = fc.array(octet, { minLength: 3, maxLength: 5 }).map((p) => p.join('.'));
    const reference = (t: string): string | null => (ipaddr.IPv4.isValidFourPartDecimal(t) ? ipaddr.IPv4.parse(t).toString() : null);
    fc.assert(fc.property(quad, (t) => {
      // The text is trimmed, then one pair of brackets taken off (what is inside them is not trimmed again).
      expect(parseAddress(t)?.toString() ?? null).toBe(reference(t.trim()));
      expect(parseAddress(`[${t}]`)?.toString() ?? null).toBe(reference(t));
    }), fcParams(fuzzRuns(2000)));
  });
});

describe('inCidrs', () => {
  it('matches v4 and v6 blocks and bare addresses, ignores bad entries', () => {
    expect(inCidrs('198.51.100.80', ['198.51.100.0/24'])).toBe(true);
    expect(inCidrs('198.51.101.80', ['198.51.100.0/24'])).toBe(false);
    expect(inCidrs('2001:db8::5', ['192.0.2.0/24', '2001:db8::/32'])).toBe(true);
    expect(inCidrs('192.0.2.9', ['192.0.2.9'])).toBe(true);
    expect(inCidrs('192.0.2.9', ['nonsense', '192.0.2.0/99', '192.0.2.0/28'])).toBe(true);
    expect(inCidrs('not-an-ip', ['0.0.0.0/0'])).toBe(false);
    expect(inCidrs('::ffff:198.51.100.1', ['198.51.100.0/24'])).toBe(true);
  });
});

describe('bogons', () => {
  it('classifies special ranges', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isPrivate('10.1.2.3')).toBe(true);
    expect(isPrivate('172.16.10.13')).toBe(true);
    expect(isPrivate('fd00::1')).toBe(true);
    expect(isPrivate('8.8.8.8')).toBe(false);
    for (const b of ['127.0.0.1', '10.0.0.1', '192.168.1.1', '169.254.1.1', '0.1.2.3', '224.0.0.5', '240.0.0.1', '255.255.255.255', 'fe80::1', '100.64.1.1']) {
      expect(isBogon(b), b).toBe(true);
    }
    expect(bogonReason('127.0.0.1')).toMatch(/loopback/);
  });

  it('answers the same when asked again (reasons and parsed blocks are kept by their text)', () => {
    const addrs = ['127.0.0.1', '8.8.8.8', 'nonsense', '192.0.2.1', '10.0.0.1', 'fe80::1'];
    const first = addrs.map(bogonReason);
    expect(first).toEqual([expect.stringMatching(/loopback/), null, 'not an IP address', null, expect.stringMatching(/RFC 1918/), expect.stringMatching(/link-local/)]);
    expect(addrs.map(bogonReason)).toEqual(first);
    // Past the cache's bound it starts again, answering the same.
    for (let i = 0; i < 5000; i++) bogonReason(`10.${i >> 8}.${i & 255}.1`);
    expect(addrs.map(bogonReason)).toEqual(first);
    expect(inCidrs('198.51.100.80', ['198.51.100.0/24'])).toBe(true);
    expect(inCidrs('198.51.100.80', ['198.51.100.128/25'])).toBe(false);
  });

  it('treats the documentation ranges as routable', () => {
    for (const a of ['192.0.2.1', '198.51.100.80', '203.0.113.5', '2001:db8::1', '8.8.8.8']) expect(isBogon(a), a).toBe(false);
  });
});
