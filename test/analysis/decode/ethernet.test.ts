import { describe, expect, it } from 'vitest';
import { ethernet, ipv4, udpDatagram } from '../../helpers/pcap-writer';
import { corpusEvents, decode } from './frames';

describe('Ethernet and VLAN decoders', () => {
  it('follows 802.1Q and QinQ tags', () => {
    const inner = ipv4('10.1.1.1', '10.1.1.2', 17, udpDatagram({ src: '', dst: '', sport: 53, dport: 999 }));
    const tagged = new Uint8Array(8 + inner.length);
    tagged.set([0x00, 0x64, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00]);
    tagged.set(inner, 8);
    const { ev } = decode(ethernet(tagged, 0x88a8));
    expect(ev.vlan).toEqual([100, 10]);
    expect(ev.dport).toBe(999);
  });

  it('takes an 802.3 length (1500 or less) as no EtherType: the MACs, nothing of IP', () => {
    const ip = ipv4('10.1.1.1', '10.1.1.2', 17, udpDatagram({ src: '', dst: '', sport: 1, dport: 2 }));
    const { ev, weirds } = decode(ethernet(ip, 1500, '02:00:00:00:00:01', '02:00:00:00:00:02'));
    expect(weirds).toEqual([]);
    expect([ev.srcMac, ev.dstMac, ev.src]).toEqual(['02:00:00:00:00:01', '02:00:00:00:00:02', undefined]);
  });

  it('reports a frame shorter than its header or cut inside a tag', () => {
    expect(decode(new Uint8Array(13)).weirds).toEqual(['truncated_ethernet']);
    const f = ethernet(new Uint8Array([0x00, 0x64]), 0x8100);
    expect(decode(f).weirds).toEqual(['truncated_vlan']);
  });

  it('real tagged captures: VLAN 32 of wireshark-wiki vlan.cap, the two zero tags of zeek http-qinq', async () => {
    const [first] = await corpusEvents('wireshark-wiki__vlan.cap');
    expect(first.ev).toMatchObject({ vlan: [32], srcMac: '00:40:05:40:ef:24', src: '131.151.32.129', sport: 1162, dport: 6000 });
    const qinq = await corpusEvents('zeek__http-qinq-0.pcap');
    expect(qinq[0].ev).toMatchObject({ vlan: [0, 0], src: '141.142.228.5', dst: '192.150.187.43', dport: 80, tcpFlags: 0x02 });
  });
});
