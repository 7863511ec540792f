import { describe, expect, it } from 'vitest';
import { decodeFrame, knownLinkType } from '../../../analysis/decode/registry';
import type { NetEvent } from '../../../analysis/events/event';
import { corpusEvents, decode } from './frames';

describe('decoder registry', () => {
  it('knows the link types it has a decoder for, and no others', () => {
    for (const lt of [0, 1, 101, 108, 113, 228, 229, 239, 276]) expect(knownLinkType(lt)).toBe(true);
    for (const lt of [9, 105, 127, 147]) expect(knownLinkType(lt)).toBe(false);
  });

  it('leaves the event untouched for a link type it does not know', () => {
    const ev: NetEvent = { kind: 'packet', ts: 0, source: { file: 't', packet: 1, offset: 0 } };
    const bytes = new Uint8Array(64).fill(0x45);
    decodeFrame(147, { bytes, view: new DataView(bytes.buffer), end: bytes.length, weird: () => undefined }, ev);
    expect(ev).toEqual({ kind: 'packet', ts: 0, source: { file: 't', packet: 1, offset: 0 } });
  });

  it('chains link, network and transport for a real capture (nmap SYN scan: 1,002 SYNs to 1,000 ports of 192.168.1.25)', async () => {
    const decoded = await corpusEvents('evilfingers__TCP_SYN_SCAN.pcap');
    expect(decoded.flatMap((d) => d.weirds)).toEqual([]);
    const syns = decoded.filter(({ ev }) => ev.proto === 6 && ev.tcpFlags === 0x02 && ev.dst === '192.168.1.25');
    expect(syns.length).toBe(1002);
    expect(new Set(syns.map(({ ev }) => ev.dport)).size).toBe(1000);
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
