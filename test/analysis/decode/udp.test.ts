import { describe, expect, it } from 'vitest';
import { udpFrame } from '../../helpers/pcap-writer';
import { corpusEvents, decode } from './frames';

describe('UDP decoder', () => {
  it('keeps genuine port 0', () => {
    const { ev } = decode(udpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 0, dport: 0, payload: 'x' }));
    expect(ev.sport).toBe(0);
    expect(ev.dport).toBe(0);
    expect(ev.fragment).toBeUndefined();
  });

  it('takes the payload length from the UDP length field, the kept bytes from what was captured', () => {
    const f = udpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 53, payload: 'abcdefgh' });
    expect(decode(f).ev.payloadLength).toBe(8);
    const cut = decode(f, 1, f.length - 4);
    expect(cut.ev.payloadLength).toBe(8);
    expect(new TextDecoder().decode(cut.ev.payload)).toBe('abcd');
    const portsOnly = decode(f, 1, 14 + 20 + 5);
    expect([portsOnly.ev.sport, portsOnly.ev.dport, portsOnly.ev.payloadLength]).toEqual([5000, 53, undefined]);
    expect(decode(f, 1, 14 + 20 + 3).weirds).toEqual(['truncated_udp_header']);
  });

  it('the chargen reflection of wireshark-wiki: a 14-byte request to port 19, a 1,024-byte answer from it', async () => {
    const d = await corpusEvents('wireshark-wiki__chargen-udp.pcap');
    expect(d.map(({ ev }) => [ev.src, ev.sport, ev.dport, ev.payloadLength])).toEqual([
      ['176.126.243.198', 36635, 19, 14], ['185.47.63.113', 19, 36635, 1024],
    ]);
    expect(d[1].ev.payload!.length).toBe(128);
  });
});
