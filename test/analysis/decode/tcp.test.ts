import { describe, expect, it } from 'vitest';
import { tcpFrame } from '../../helpers/pcap-writer';
import { corpusEvents, decode } from './frames';

describe('TCP decoder', () => {
  it('decodes Ethernet/IPv4/TCP with options and payload', () => {
    const f = tcpFrame({
      src: '198.51.100.80', dst: '192.0.2.66', sport: 80, dport: 40001, flags: 'SA', seq: 7, ack: 9, window: 29200, ttl: 57, id: 4242,
      options: [2, 4, 0x05, 0xb4, 1, 1, 4, 2], srcMac: '02:00:00:00:00:01',
    });
    const { ev, weirds } = decode(f);
    expect(weirds).toEqual([]);
    expect(ev).toMatchObject({
      src: '198.51.100.80', dst: '192.0.2.66', sport: 80, dport: 40001, proto: 6, tcpFlags: 0x12, seq: 7, ack: 9,
      window: 29200, ttl: 57, ipId: 4242, mss: 1460, tcpOptions: 'mss,nop,nop,sackOK', srcMac: '02:00:00:00:00:01', payloadLength: 0,
    });
  });

  it('names every option layout, however many a capture has and however long (the text is cached by layout)', () => {
    const NAMES: Record<number, string> = { 0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 8: 'ts', 30: 'mptcp', 34: 'tfo' };
    const option = (kind: number): number[] => (kind === 0 || kind === 1 ? [kind] : kind === 2 ? [2, 4, 5, 0xb4] : [kind, 2]);
    let x = 3;
    const layouts: number[][] = [];
    for (let i = 0; i < 600; i++) {
      const kinds = Array.from({ length: 1 + (i % 9) }, () => [1, 2, 3, 4, 8, 30, 34, 99, 200][(x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 9]);
      layouts.push(kinds);
    }
    // Each layout twice, the second time after hundreds of others have gone through the cache.
    for (const kinds of [...layouts, ...layouts]) {
      const bytes = kinds.flatMap(option);
      while (bytes.length % 4) bytes.push(1);
      const { ev } = decode(tcpFrame({ src: '1.2.3.4', dst: '5.6.7.8', sport: 1, dport: 2, flags: 'S', options: bytes }));
      const padded = [...kinds, ...Array.from({ length: bytes.length - kinds.flatMap(option).length }, () => 1)];
      expect(ev.tcpOptions, kinds.join(' ')).toBe(padded.map((k) => NAMES[k] ?? `opt${k}`).join(','));
    }
  });

  it('decodes as far as a snap length allows and says where it stopped', () => {
    const f = tcpFrame({ src: '1.2.3.4', dst: '5.6.7.8', sport: 1234, dport: 22, flags: 'S' });
    const { ev, weirds } = decode(f, 1, 14 + 20 + 6);
    expect(ev.src).toBe('1.2.3.4');
    expect(ev.sport).toBe(1234);
    expect(ev.dport).toBe(22);
    expect(ev.tcpFlags).toBeUndefined();
    expect(weirds).toContain('truncated_tcp_header');
  });

  it('reports a data offset below 20 and reads no options from it', () => {
    const f = tcpFrame({ src: '1.2.3.4', dst: '5.6.7.8', sport: 1, dport: 2, flags: 'S' });
    f[14 + 20 + 12] = 0x40; // data offset 4 words = 16 bytes
    const { ev, weirds } = decode(f);
    expect(weirds).toEqual(['bad_tcp_header']);
    expect(ev.tcpFlags).toBe(0x02);
    expect(ev.tcpOptions).toBeUndefined();
    expect(ev.payloadLength).toBeUndefined();
  });

  it('the real handshake of tcpdump-handshake-nano: MSS 1360 and 1440, flags S, SA, A as tshark reads them', async () => {
    const d = await corpusEvents('tcpdump__tcp-handshake-nano.pcap');
    expect(d.map(({ ev }) => [ev.sport, ev.dport, ev.tcpFlags, ev.mss])).toEqual([
      [46656, 80, 0x02, 1360], [80, 46656, 0x12, 1440], [46656, 80, 0x10, undefined],
    ]);
  });

  it('all eight flags set and a RST that carries data (tcpdump test captures)', async () => {
    const [all] = await corpusEvents('tcpdump__tcp_eight_lowest_weight_flags_set.pcap');
    expect(all.ev.tcpFlags).toBe(0xff);
    const [rst] = await corpusEvents('tcpdump__tcp_rst_data.pcap');
    expect(rst.ev.tcpFlags).toBe(0x14);
    expect(rst.ev.payloadLength).toBe(58);
    expect(rst.ev.payload!.length).toBe(58);
  });
});
