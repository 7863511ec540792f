import { describe, expect, it } from 'vitest';
import { flagString, flagWords, protoName, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../../../analysis/events/event';
import { corpusEvents } from '../decode/frames';

describe('event display helpers', () => {
  it('writes flags as tcpdump does for the flag combinations of tcpdump\'s print-flags capture', async () => {
    const d = await corpusEvents('tcpdump__print-flags.pcap');
    const shown = d.map(({ ev }) => flagString(ev.tcpFlags));
    // tcpdump -r print-flags.pcap prints [S], [S.], [.], [P.], [F.] ...
    expect(new Set(shown)).toEqual(new Set(['S', 'S.', '.', 'P.', 'F.']));
  });

  it('writes flags in words for replies, and says when there are none', () => {
    expect(flagWords(TCP_SYN | TCP_ACK)).toBe('SYN-ACK');
    expect(flagWords(TCP_RST | TCP_ACK)).toBe('RST-ACK');
    expect(flagWords(TCP_FIN | TCP_PSH | 0x20)).toBe('FIN-PSH-URG');
    expect(flagWords(0)).toBe('no flags (NULL)');
    expect([flagString(0), flagString(undefined), flagWords(undefined)]).toEqual(['none', '', '']);
    expect(flagString(0xff)).toBe('SFRP.UEW');
  });

  it('names protocols for display', () => {
    expect([6, 17, 1, 58, 47, undefined].map(protoName)).toEqual(['tcp', 'udp', 'icmp', 'icmp6', 'ip-proto-47', '?']);
  });
});
