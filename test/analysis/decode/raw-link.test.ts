import { describe, expect, it } from 'vitest';
import { ipv4, udpDatagram } from '../../helpers/pcap-writer';
import { corpusEvents, decode } from './frames';

describe('raw-IP, loopback and NFLOG link layers', () => {
  it('decodes raw IPv4 (101, 228) and BSD loopback in either byte order', () => {
    const ip = ipv4('10.0.0.1', '10.0.0.2', 17, udpDatagram({ src: '', dst: '', sport: 1, dport: 2 }));
    expect(decode(ip, 101).ev.dst).toBe('10.0.0.2');
    expect(decode(ip, 228).ev.dst).toBe('10.0.0.2');
    for (const fam of [[2, 0, 0, 0], [0, 0, 0, 2]]) {
      const f = new Uint8Array(4 + ip.length);
      f.set(fam);
      f.set(ip, 4);
      expect(decode(f, 0).ev.sport).toBe(1);
    }
  });

  it('names a raw frame of neither version, and a loopback header cut short', () => {
    const ip = ipv4('10.0.0.1', '10.0.0.2', 17, udpDatagram({ src: '', dst: '', sport: 1, dport: 2 }));
    ip[0] = 0x55;
    expect(decode(ip, 101).weirds).toEqual(['bad_ip_version']);
    expect(decode(new Uint8Array(3), 0).weirds).toEqual(['truncated_null']);
  });

  it('real captures of tcpdump: LINKTYPE_IPV4, LINKTYPE_RAW with IPv6, NFLOG with four DNS answers', async () => {
    const [v4] = await corpusEvents('tcpdump__LINKTYPE_IPV4.pcap');
    expect([v4.ev.src, v4.ev.dst, v4.ev.sport, v4.ev.dport]).toEqual(['192.168.1.100', '9.9.9.9', 12345, 53]);
    const [v6] = await corpusEvents('tcpdump__LINKTYPE_RAW_ipv6.pcap');
    expect([v6.ev.src, v6.ev.dst, v6.ev.ipVersion, v6.ev.dport]).toEqual(['2001:db8::1', '2620:fe::9', 6, 53]);
    const nflog = await corpusEvents('tcpdump__nflog.pcap');
    expect(nflog.map(({ ev }) => [ev.src, ev.dst, ev.sport, ev.dport])).toEqual([
      ['74.82.42.42', '10.0.0.20', 53, 42585], ['74.82.42.42', '10.0.0.20', 53, 45190],
      ['74.82.42.42', '10.0.0.20', 53, 44031], ['74.82.42.42', '10.0.0.20', 53, 48736],
    ]);
    expect(nflog.flatMap((d) => d.weirds)).toEqual([]);
  });

  it('stops at an NFLOG TLV of impossible length', () => {
    const f = new Uint8Array([2, 0, 0, 0, /* TLV len 2 */ 2, 0, 9, 0]);
    expect(decode(f, 239).weirds).toEqual(['bad_nflog_tlv']);
  });
});
