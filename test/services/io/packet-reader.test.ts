/**
 * The packet view's reader against tshark: packet N of real captures (pcap and
 * pcapng; Ethernet, VLAN, raw IPv6, ICMPv6, TCP with payload) decoded to the
 * same fields and bytes, its conversation holding the packets tshark's
 * conversation filter selects, and the TCP payload "follow" of the same size;
 * more link types and protocols in packet-reader.slow.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPacket, PacketReadError } from '../../../services/io/packet-reader';
import { corpusDir } from '../../helpers/paths';
import { checkConversation, checkFields } from './packet-tshark';

const CASES: Array<[string, number]> = [
  ['pcap/zeek__http_get-to-ssh-server.pcap', 4],
  ['pcap/wireshark-wiki__vlan.cap', 30],
  ['pcap/zeek__icmp_icmp6-ping.pcap', 3],
  ['pcapng/chrissanders__http_ip4and6.pcapng', 7],
];

describe('readPacket: one packet of a capture, as tshark decodes it', () => {
  it.each(CASES)('%s packet %i: fields and bytes', checkFields);
  it.each(CASES)('%s packet %i: the conversation is what its tshark filter selects', checkConversation);
  it('a long conversation is bounded around the packet, and reading stops once the view is full', async () => {
    const rel = 'pcap/zeek__http_1000-requests-one-dropped-response.pcap';
    const file = join(corpusDir, rel);
    const d = await readPacket(file, 3000, { file: rel, limits: { before: 5, after: 5, followBytes: 2000 } });
    const c = d.conversation!;
    expect(c.packets).toHaveLength(10);
    expect(c.packets[5].packet).toBe(3000);
    expect(c.total).toBeNull();
    expect(c.follow!.bytes).toBe(2000);
    expect(c.follow!.truncated).toBe(true);
    expect(c.follow!.segments[0].text).toMatch(/^GET \//);
  });

  it('says which packets a file has, and that a log is not a capture', async () => {
    const file = join(corpusDir, 'pcap/zeek__tcp_syn-synack.pcap');
    await expect(readPacket(file, 99, { file: 'x.pcap' })).rejects.toThrow(/has 2 packets; there is no packet 99/);
    const log = join(corpusDir, 'zeek', (await import('node:fs')).readdirSync(join(corpusDir, 'zeek'))[0]);
    await expect(readPacket(log, 1, { file: 'conn.log' })).rejects.toBeInstanceOf(PacketReadError);
  });
});
