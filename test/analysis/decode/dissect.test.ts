import { describe, expect, it } from 'vitest';
import { dissectFrame } from '../../../analysis/decode/dissect';
import { corpusFrames, decode } from './frames';

const field = (d: ReturnType<typeof dissectFrame>, layer: string, name: string) => d.layers.find((l) => l.name === layer)?.fields.find((f) => f.name === name)?.value;

describe('one frame dissected for the packet view', () => {
  it('a GET to an SSH server (zeek): every header named, the payload where the request starts, the event as the decoders make it', async () => {
    const frames = await corpusFrames('zeek__http_get-to-ssh-server.pcap');
    const f = frames[3];
    const d = dissectFrame(f.linkType, f.data, f.origLen);
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet II', 'IPv4', 'TCP']);
    expect(field(d, 'TCP', 'Flags')).toBe('0x018 (PSH, ACK)');
    expect(field(d, 'IPv4', 'Source')).toBe('136.216.42.40');
    expect(d.payload!.length).toBe(605);
    expect(new TextDecoder().decode(f.data.subarray(d.payload!.offset, d.payload!.offset + 14))).toBe('GET / HTTP/1.1');
    const { ev } = decode(f.data, f.linkType);
    expect(d.event).toMatchObject({ src: ev.src, dst: ev.dst, sport: ev.sport, dport: ev.dport, tcpFlags: ev.tcpFlags, length: f.origLen });
    expect(d.problems).toEqual([]);
  });

  it('an IPv6 routing header is a layer of its own, then the UDP datagram (tcpdump)', async () => {
    const frames = await corpusFrames('tcpdump__ipv6-routing-header.pcap');
    const d = dissectFrame(frames[2].linkType, frames[2].data, frames[2].origLen);
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet II', 'IPv6', 'IPv6 Routing', 'UDP']);
    expect(field(d, 'UDP', 'Source port')).toBe('5645');
  });

  it('a non-first IPv4 fragment stops at IPv4; a frame cut by the snap length says how much is missing', async () => {
    const frames = await corpusFrames('ppa__ipfragments.pcap');
    const later = dissectFrame(frames[1].linkType, frames[1].data, frames[1].origLen);
    expect(later.layers.map((l) => l.name)).toEqual(['Ethernet II', 'IPv4']);
    expect(field(later, 'IPv4', 'Fragment offset')).toBe('1480');
    const first = frames[0];
    const cut = dissectFrame(first.linkType, first.data.subarray(0, 40), first.origLen);
    expect(cut.problems).toContain(`only 40 of the packet's ${first.origLen} bytes were captured (snap length)`);
  });

  it('an ICMP echo lists its identifier and sequence', async () => {
    const [f] = await corpusFrames('ppa__osfingerprinting.pcap');
    const d = dissectFrame(f.linkType, f.data, f.origLen);
    expect(d.layers.at(-1)!.name).toBe('ICMP');
    expect([field(d, 'ICMP', 'Type'), field(d, 'ICMP', 'Identifier'), field(d, 'ICMP', 'Sequence number')]).toEqual(['8', '44032', '0']);
  });
});
