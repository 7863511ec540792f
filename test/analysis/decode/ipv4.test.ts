import { describe, expect, it } from 'vitest';
import { ethernet, ipv4, tcpSegment } from '../../helpers/pcap-writer';
import { corpusEvents, decode } from './frames';

describe('IPv4 decoder', () => {
  it('keeps the first payload bytes and bounds the transport by the IP length (Ethernet padding)', () => {
    const seg = tcpSegment({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 80, flags: 'PA', payload: 'GET / HTTP/1.1\r\n' });
    const padded = new Uint8Array(seg.length + 10);
    padded.set(seg);
    const ip = ipv4('1.1.1.1', '2.2.2.2', 6, padded, { totalLength: 20 + seg.length });
    const { ev } = decode(ethernet(ip, 0x0800));
    expect(ev.payloadLength).toBe(16);
    expect(new TextDecoder().decode(ev.payload)).toBe('GET / HTTP/1.1\r\n');
  });

  it('marks a non-first fragment without ports, never as port 0', () => {
    const frag = ethernet(ipv4('10.0.0.1', '10.0.0.2', 17, new Uint8Array(40), { fragOffset: 1480, id: 77 }), 0x0800);
    const { ev } = decode(frag);
    expect(ev.fragment).toEqual({ offset: 1480, more: false, id: 77 });
    expect(ev.sport).toBeUndefined();
    expect(ev.dport).toBeUndefined();
  });

  it('refuses a header whose version or length is wrong, and one cut short', () => {
    const ip = ipv4('10.0.0.1', '10.0.0.2', 17, new Uint8Array(8));
    const v6 = ip.slice(); v6[0] = 0x65;
    expect(decode(ethernet(v6, 0x0800)).weirds).toEqual(['bad_ipv4_header']);
    const short = ip.slice(); short[0] = 0x44;
    expect(decode(ethernet(short, 0x0800)).weirds).toEqual(['bad_ipv4_header']);
    const cut = decode(ethernet(ip, 0x0800), 1, 14 + 19);
    expect(cut.weirds).toEqual(['truncated_ipv4_header']);
    expect(cut.ev.src).toBeUndefined();
  });

  it('the fragmented pings of ppa__ipfragments: offsets 0, 1480, 2960 of one id, more-fragments on all but the last', async () => {
    const d = await corpusEvents('ppa__ipfragments.pcap');
    expect(d.slice(0, 3).map(({ ev }) => ev.fragment)).toEqual([
      { offset: 0, more: true, id: 0x61d1 }, { offset: 1480, more: true, id: 0x61d1 }, { offset: 2960, more: false, id: 0x61d1 },
    ]);
    expect(d.every(({ ev }) => ev.src && ev.ttl === 128 && ev.ipVersion === 4)).toBe(true);
    expect(d.slice(1, 3).every(({ ev }) => ev.icmp === undefined)).toBe(true);
  });
});
