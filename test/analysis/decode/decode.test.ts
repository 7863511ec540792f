import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../analysis/decode/registry';
import { ipv6At } from '../../../analysis/decode/decode-context';
import type { NetEvent } from '../../../analysis/events/event';
import { ethernet, icmpFrame, ipv4, tcpFrame, tcpSegment, udpDatagram, udpFrame } from '../../helpers/pcap-writer';

function decode(data: Uint8Array, linkType = 1, end = data.length): { ev: NetEvent; weirds: string[] } {
  const ev: NetEvent = { kind: 'packet', ts: 0, source: { file: 't', packet: 1, offset: 0 } };
  const weirds: string[] = [];
  decodeFrame(linkType, { bytes: data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), end, weird: (c) => weirds.push(c) }, ev);
  return { ev, weirds };
}

describe('decoders', () => {
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

  it('keeps the first payload bytes and bounds the transport by the IP length (Ethernet padding)', () => {
    const seg = tcpSegment({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 80, flags: 'PA', payload: 'GET / HTTP/1.1\r\n' });
    const padded = new Uint8Array(seg.length + 10);
    padded.set(seg);
    const ip = ipv4('1.1.1.1', '2.2.2.2', 6, padded, { totalLength: 20 + seg.length });
    const { ev } = decode(ethernet(ip, 0x0800));
    expect(ev.payloadLength).toBe(16);
    expect(new TextDecoder().decode(ev.payload)).toBe('GET / HTTP/1.1\r\n');
  });

  it('marks a non-first fragment without ports, never as port 0', () => {
    const frag = ethernet(ipv4('10.0.0.1', '10.0.0.2', 17, new Uint8Array(40), { fragOffset: 1480, id: 77 }), 0x0800);
    const { ev } = decode(frag);
    expect(ev.fragment).toEqual({ offset: 1480, more: false, id: 77 });
    expect(ev.sport).toBeUndefined();
    expect(ev.dport).toBeUndefined();
  });

  it('keeps genuine port 0', () => {
    const { ev } = decode(udpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 0, dport: 0, payload: 'x' }));
    expect(ev.sport).toBe(0);
    expect(ev.dport).toBe(0);
    expect(ev.fragment).toBeUndefined();
  });

  it('reads the quoted header of an ICMP error (whose packet provoked it)', () => {
    const quoted = ipv4('192.0.2.66', '198.51.100.80', 17, udpDatagram({ src: '', dst: '', sport: 5353, dport: 53 }));
    const { ev } = decode(icmpFrame('198.51.100.80', '192.0.2.66', 3, 3, quoted));
    expect(ev.icmp).toEqual({ type: 3, code: 3, quoted: { src: '192.0.2.66', dst: '198.51.100.80', proto: 17, sport: 5353, dport: 53 } });
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

  it('follows 802.1Q and QinQ tags', () => {
    const inner = ipv4('10.1.1.1', '10.1.1.2', 17, udpDatagram({ src: '', dst: '', sport: 53, dport: 999 }));
    const tagged = new Uint8Array(8 + inner.length);
    tagged.set([0x00, 0x64, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00]);
    tagged.set(inner, 8);
    const { ev } = decode(ethernet(tagged, 0x88a8));
    expect(ev.vlan).toEqual([100, 10]);
    expect(ev.dport).toBe(999);
  });

  it('decodes raw IPv4 (101, 228) and BSD loopback in either byte order', () => {
    const ip = ipv4('10.0.0.1', '10.0.0.2', 17, udpDatagram({ src: '', dst: '', sport: 1, dport: 2 }));
    expect(decode(ip, 101).ev.dst).toBe('10.0.0.2');
    expect(decode(ip, 228).ev.dst).toBe('10.0.0.2');
    for (const fam of [[2, 0, 0, 0], [0, 0, 0, 2]]) {
      const f = new Uint8Array(4 + ip.length);
      f.set(fam);
      f.set(ip, 4);
      expect(decode(f, 0).ev.sport).toBe(1);
    }
  });

  it('prints IPv6 addresses in RFC 5952 form', () => {
    const b = new Uint8Array(16);
    b.set([0x20, 0x01, 0x0d, 0xb8], 0);
    b[15] = 1;
    expect(ipv6At(b, 0)).toBe('2001:db8::1');
    const c = new Uint8Array(16);
    c.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6At(c, 0)).toBe('2001:db8:0:1::1');
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rnd() * 120);
      const data = new Uint8Array(len).map(() => Math.floor(rnd() * 256));
      if (len > 14) { data[12] = 0x08; data[13] = 0; data[14] = 0x45; }
      for (const lt of [0, 1, 101, 113, 239, 276]) expect(() => decode(data, lt)).not.toThrow();
    }
  });
});
