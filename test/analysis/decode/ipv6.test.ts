import { describe, expect, it } from 'vitest';
import { corpusEvents, decode } from './frames';

/** An IPv6 header (40 bytes) with `next` and the payload after it, raw (LINKTYPE_IPV6). */
function ipv6(next: number, payload: number[]): Uint8Array {
  const b = new Uint8Array(40 + payload.length);
  b[0] = 0x60;
  b[4] = payload.length >> 8; b[5] = payload.length & 255;
  b[6] = next; b[7] = 64;
  b[8] = 0x20; b[9] = 0x01; b[10] = 0x0d; b[11] = 0xb8; b[23] = 1;
  b[24] = 0x20; b[25] = 0x01; b[26] = 0x0d; b[27] = 0xb8; b[39] = 2;
  b.set(payload, 40);
  return b;
}

describe('IPv6 decoder', () => {
  it('walks the routing header to the UDP datagram (tcpdump ipv6-routing-header): ports 5645 → 5642, ICMPv6 echo before', async () => {
    const d = await corpusEvents('tcpdump__ipv6-routing-header.pcap');
    expect(d.map(({ ev }) => [ev.src, ev.proto, ev.sport, ev.dport, ev.icmp?.type])).toEqual([
      ['2200::244:212:3fff:feae:22f7', 58, undefined, undefined, 128],
      ['2200::244:212:3fff:feae:22f7', 58, undefined, undefined, 128],
      ['2200::244:212:3fff:feae:22f7', 17, 5645, 5642, undefined],
      ['2200::244:212:3fff:feae:22f7', 17, 5645, 5642, undefined],
    ]);
    expect(d.every(({ ev }) => ev.ipVersion === 6)).toBe(true);
  });

  it('a fragmented DNS answer (zeek ipv6-fragmented-dns): the first fragment has the ports, a later one only its id and offset', async () => {
    const d = await corpusEvents('zeek__ipv6-fragmented-dns.pcap');
    expect(d[0].ev).toMatchObject({ src: '2001:470:1f11:81f:d138:5f55:6d4:1fe2', dst: '2607:f740:b::f93', proto: 17, sport: 51850, dport: 53 });
    const frags = d.filter(({ ev }) => ev.fragment);
    expect(frags.length).toBeGreaterThan(1);
    const later = frags.filter(({ ev }) => ev.fragment!.offset > 0);
    expect(later.length).toBeGreaterThan(0);
    for (const { ev } of later) {
      expect(ev.sport).toBeUndefined();
      expect(ev.proto).toBe(17);
      expect(ev.ipId).toBe(ev.fragment!.id);
    }
  });

  it('stops at ESP and "no next header", and reports a header cut short or of the wrong version', () => {
    expect(decode(ipv6(50, [0, 0, 0, 1, 0, 0, 0, 1]), 229).ev).toMatchObject({ proto: 50, src: '2001:db8::1', dst: '2001:db8::2', ttl: 64 });
    expect(decode(ipv6(59, []), 229).ev.proto).toBe(59);
    expect(decode(ipv6(17, []), 229, 39).weirds).toEqual(['truncated_ipv6_header']);
    const v4 = ipv6(17, []); v4[0] = 0x40;
    expect(decode(v4, 229).weirds).toEqual(['bad_ipv6_header']);
  });

  it('reports an extension header that runs past the packet', () => {
    // A destination-options header claiming 16 bytes in a packet with 8 after the fixed header.
    const { ev, weirds } = decode(ipv6(60, [17, 1, 0, 0, 0, 0, 0, 0]), 229);
    expect(weirds).toEqual(['truncated_ipv6_ext']);
    expect(ev.proto).toBe(17);
    expect(ev.sport).toBeUndefined();
  });
});
