import { describe, expect, it } from 'vitest';
import { icmpFrame, ipv4, udpDatagram } from '../../helpers/pcap-writer';
import { corpusEvents, decode } from './frames';

describe('ICMP and ICMPv6 decoders', () => {
  it('reads the quoted header of an ICMP error (whose packet provoked it)', () => {
    const quoted = ipv4('192.0.2.66', '198.51.100.80', 17, udpDatagram({ src: '', dst: '', sport: 5353, dport: 53 }));
    const { ev } = decode(icmpFrame('198.51.100.80', '192.0.2.66', 3, 3, quoted));
    expect(ev.icmp).toEqual({ type: 3, code: 3, quoted: { src: '192.0.2.66', dst: '198.51.100.80', proto: 17, sport: 5353, dport: 53 } });
  });

  it('quotes nothing for a message that is not an error, and reports a header cut after one byte', () => {
    const quoted = ipv4('192.0.2.66', '198.51.100.80', 17, udpDatagram({ src: '', dst: '', sport: 5353, dport: 53 }));
    const { ev } = decode(icmpFrame('198.51.100.80', '192.0.2.66', 13, 0, quoted));
    expect(ev.icmp).toEqual({ type: 13, code: 0 });
    const f = icmpFrame('198.51.100.80', '192.0.2.66', 8, 0, new Uint8Array(0));
    expect(decode(f, 1, 14 + 20 + 1).weirds).toEqual(['truncated_icmp']);
  });

  it('a real port-unreachable (zeek icmp-destunreach-udp) quotes the DNS answer 192.168.1.1:53 → 192.168.1.102:59207', async () => {
    const [d] = await corpusEvents('zeek__icmp_icmp-destunreach-udp.pcap');
    expect(d.ev.icmp).toEqual({ type: 3, code: 3, quoted: { src: '192.168.1.1', dst: '192.168.1.102', proto: 17, sport: 53, dport: 59207 } });
  });

  it('echo identifiers and sequence numbers of the xprobe pings (ppa osfingerprinting) and of an ICMPv6 ping (zeek)', async () => {
    const v4 = await corpusEvents('ppa__osfingerprinting.pcap');
    expect(v4.slice(0, 3).map(({ ev }) => ev.icmp)).toEqual([
      { type: 8, code: 0, id: 44032, seq: 0 }, { type: 0, code: 0, id: 44032, seq: 0 }, { type: 8, code: 0, id: 44032, seq: 256 },
    ]);
    const v6 = await corpusEvents('zeek__icmp_icmp6-ping.pcap');
    expect(v6.slice(0, 2).map(({ ev }) => [ev.proto, ev.icmp?.type, ev.icmp?.id])).toEqual([[58, 128, 1], [58, 129, 1]]);
    expect(v6[0].ev.payload!.length).toBeGreaterThan(0);
  });
});
