import { describe, expect, it } from 'vitest';
import { ConversationCollector, conversationKey, direction, printable, tsharkFilters } from '../../../analysis/decode/conversation';
import { corpusFrames, decode } from './frames';

const FILE = 'zeek__http_get-to-ssh-server.pcap';

async function collect(target: number, limits?: { before: number; after: number; followBytes: number }) {
  const frames = await corpusFrames(FILE);
  const key = conversationKey(decode(frames[target - 1].data, frames[target - 1].linkType).ev)!;
  const c = new ConversationCollector(key, target, limits);
  for (const f of frames) c.add(f, FILE);
  return { view: c.finish(true), full: c.full };
}

describe('conversation of a quoted packet', () => {
  it('a GET sent to an SSH server (zeek): all 9 packets both ways, each side\'s payload as tshark\'s Follow shows it', async () => {
    const { view } = await collect(4);
    expect(view.key).toEqual({ proto: 6, ipVersion: 4, a: '136.216.42.40', b: '130.74.164.231', aPort: 44338, bPort: 22 });
    expect(view.packets.map((p) => p.packet)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(view.packets.map((p) => p.fromA)).toEqual([true, false, true, true, false, false, false, true, false]);
    expect([view.total, view.skippedBefore]).toEqual([9, 0]);
    expect(view.follow!.segments.map((s) => [s.fromA, s.packet, s.bytes])).toEqual([[true, 4, 605], [false, 6, 21]]);
    expect(view.follow!.segments[0].text.startsWith('GET / HTTP/1.1\r\nHost: 128.3.50.246\r\n')).toBe(true);
    expect(view.follow!.segments[1].text).toBe('SSH-2.0-OpenSSH_8.7\r\n');
  });

  it('keeps the rows and payload within its limits and says what it left out', async () => {
    const { view, full } = await collect(6, { before: 2, after: 2, followBytes: 100 });
    expect(view.packets.map((p) => p.packet)).toEqual([4, 5, 6, 7]);
    expect(view.skippedBefore).toBe(3);
    expect(view.follow).toMatchObject({ bytes: 100, truncated: true });
    expect(full).toBe(true);
  });

  it('direction is null for another conversation and for the same addresses on other ports', () => {
    const k = { proto: 6, ipVersion: 4 as const, a: '10.0.0.1', b: '10.0.0.2', aPort: 1000, bPort: 80 };
    expect(direction(k, { proto: 6, src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 1000 })).toBe('b');
    expect(direction(k, { proto: 6, src: '10.0.0.1', dst: '10.0.0.2', sport: 1001, dport: 80 })).toBeNull();
    expect(direction(k, { proto: 17, src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80 })).toBeNull();
    expect(conversationKey({ proto: 6, ipVersion: 4, src: '10.0.0.1' })).toBeNull();
  });

  it('tshark filters: ports both ways for TCP and UDP, addresses and the protocol otherwise', () => {
    expect(tsharkFilters(7, null)).toEqual({ packet: 'frame.number == 7' });
    expect(tsharkFilters(7, { proto: 17, ipVersion: 6, a: '2001:db8::1', b: '2001:db8::2', aPort: 53, bPort: 5353 }).conversation)
      .toBe('(ipv6.src == 2001:db8::1 && udp.srcport == 53 && ipv6.dst == 2001:db8::2 && udp.dstport == 5353) || (ipv6.src == 2001:db8::2 && udp.srcport == 5353 && ipv6.dst == 2001:db8::1 && udp.dstport == 53)');
    expect(tsharkFilters(1, { proto: 1, ipVersion: 4, a: '10.0.0.1', b: '10.0.0.2' }).conversation).toBe('ip.addr == 10.0.0.1 && ip.addr == 10.0.0.2 && icmp');
    expect(tsharkFilters(1, { proto: 47, ipVersion: 4, a: '10.0.0.1', b: '10.0.0.2' }).conversation).toBe('ip.addr == 10.0.0.1 && ip.addr == 10.0.0.2 && ip.proto == 47');
  });

  it('printable keeps tabs and line ends, dots the rest of the control and high bytes', () => {
    expect(printable(new Uint8Array([0x41, 9, 10, 13, 0, 0x7f, 0xe9, 0x7e]))).toBe('A\t\n\r...~');
  });
});
