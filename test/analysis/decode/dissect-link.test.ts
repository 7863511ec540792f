import { describe, expect, it } from 'vitest';
import { dissectLink } from '../../../analysis/decode/dissect-link';
import { corpusFrames } from './frames';

const fieldsOf = (l: { fields: Array<{ name: string; value: string }> }) => Object.fromEntries(l.fields.map((f) => [f.name, f.value]));

describe('link layer as a field table', () => {
  it('Ethernet with its 802.1Q tag (wireshark-wiki vlan.cap): VLAN 32, IPv4 after 18 bytes', async () => {
    const [f] = await corpusFrames('wireshark-wiki__vlan.cap');
    const r = dissectLink(f.linkType, f.data, f.data.length);
    expect(r.layers.map((l) => l.name)).toEqual(['Ethernet II', '802.1Q VLAN']);
    expect(fieldsOf(r.layers[0])).toMatchObject({ Source: '00:40:05:40:ef:24', Type: '0x8100 (802.1Q)' });
    expect(fieldsOf(r.layers[1])).toMatchObject({ 'VLAN id': '32', Type: '0x0800 (IPv4)' });
    expect(r.next).toEqual({ type: 0x0800, offset: 18, end: f.data.length });
  });

  it('Linux cooked v2 (suricata-verify): the fields tshark shows, the network layer at 20', async () => {
    const [f] = await corpusFrames('suricata-verify__decode-sll2-01.pcap');
    const r = dissectLink(f.linkType, f.data, f.data.length);
    expect(r.layers[0].name).toBe('Linux cooked capture v2');
    expect(fieldsOf(r.layers[0])).toMatchObject({ Protocol: '0x0800 (IPv4)', Address: 'aa:76:30:71:b0:e7' });
    expect(r.next).toMatchObject({ type: 0x0800, offset: 20 });
  });

  it('NFLOG (tcpdump): the packet TLV found after the attributes before it', async () => {
    const [f] = await corpusFrames('tcpdump__nflog.pcap');
    const r = dissectLink(f.linkType, f.data, f.data.length);
    expect(r.layers[0].name).toBe('NFLOG');
    expect(r.next!.type).toBe(0x0800);
    expect(f.data[r.next!.offset] >> 4).toBe(4);
  });

  it('loopback in either byte order, raw IP by its version nibble, and nothing for a link type it does not know', () => {
    expect(dissectLink(0, new Uint8Array([2, 0, 0, 0, 0x45]), 5).next).toEqual({ type: 0x0800, offset: 4, end: 5 });
    expect(dissectLink(108, new Uint8Array([0, 0, 0, 30, 0x60]), 5).next).toEqual({ type: 0x86dd, offset: 4, end: 5 });
    expect(dissectLink(101, new Uint8Array([0x60]), 1).next).toEqual({ type: 0x86dd, offset: 0, end: 1 });
    expect(dissectLink(101, new Uint8Array([0x50]), 1).next).toBeNull();
    expect(dissectLink(147, new Uint8Array(40), 40)).toEqual({ layers: [], next: null });
    expect(dissectLink(1, new Uint8Array(13), 13)).toEqual({ layers: [], next: null });
  });
});
