import { describe, expect, it } from 'vitest';
import { corpusEvents, decode } from './frames';

describe('Linux cooked capture decoders', () => {
  it('SLL v1 (tcpdump-handshake-nano): the handshake as IPv4/TCP with its flags', async () => {
    const d = await corpusEvents('tcpdump__tcp-handshake-nano.pcap');
    expect(d.map(({ ev }) => [ev.src, ev.dst, ev.tcpFlags])).toEqual([
      ['131.155.215.69', '137.116.81.94', 0x02], ['137.116.81.94', '131.155.215.69', 0x12], ['131.155.215.69', '137.116.81.94', 0x10],
    ]);
    expect(d.flatMap((x) => x.weirds)).toEqual([]);
  });

  it('SLL v2 (suricata-verify decode-sll2-01): the sender\'s MAC from the header, as tshark reads it', async () => {
    const d = await corpusEvents('suricata-verify__decode-sll2-01.pcap');
    expect(d.slice(0, 3).map(({ ev }) => [ev.srcMac, ev.src, ev.sport, ev.dport])).toEqual([
      ['aa:76:30:71:b0:e7', '192.168.1.253', 56478, 80], ['ea:5c:b3:49:16:e5', '192.168.1.21', 80, 56478], ['aa:76:30:71:b0:e7', '192.168.1.253', 56478, 80],
    ]);
  });

  it('reports headers cut short', () => {
    expect(decode(new Uint8Array(15), 113).weirds).toEqual(['truncated_sll']);
    expect(decode(new Uint8Array(19), 276).weirds).toEqual(['truncated_sll2']);
  });
});
