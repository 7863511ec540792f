import { describe, expect, it } from 'vitest';
import { FrameView, ipv4At, ipv4Text, ipv4ValueAt, ipv6At, macAt, withEnd, type DecodeInput, type Decoder } from '../../../analysis/decode/decode-context';
import type { NetEvent } from '../../../analysis/events/event';

describe('decode context', () => {
  it('prints IPv6 addresses in RFC 5952 form', () => {
    const b = new Uint8Array(16);
    b.set([0x20, 0x01, 0x0d, 0xb8], 0);
    b[15] = 1;
    expect(ipv6At(b, 0)).toBe('2001:db8::1');
    const c = new Uint8Array(16);
    c.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6At(c, 0)).toBe('2001:db8:0:1::1');
  });

  it('compresses the first of two equal zero runs, not a single zero word, and prints IPv4-mapped addresses dotted', () => {
    const w = (...words: number[]): Uint8Array => new Uint8Array(words.flatMap((x) => [x >> 8, x & 255]));
    expect(ipv6At(w(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), 0)).toBe('2001:db8::1:0:0:1');
    expect(ipv6At(w(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), 0)).toBe('2001:db8:0:1:1:1:1:1');
    expect(ipv6At(w(0, 0, 0, 0, 0, 0, 0, 0), 0)).toBe('::');
    expect(ipv6At(w(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), 0)).toBe('::ffff:192.0.2.1');
  });

  it('reads IPv4 addresses as values and text, through the cache and past a colliding entry', () => {
    const b = new Uint8Array([0, 192, 0, 2, 1, 255, 255, 255, 255]);
    expect(ipv4ValueAt(b, 1)).toBe(0xc0000201);
    expect(ipv4At(b, 1)).toBe('192.0.2.1');
    expect(ipv4At(b, 5)).toBe('255.255.255.255');
    // 200,000 addresses through a 4,096-slot cache: every one still reads back as itself.
    const wrong: number[] = [];
    for (let k = 0; k < 200_000; k += 7) if (ipv4Text(k) !== `0.${(k >>> 16) & 255}.${(k >>> 8) & 255}.${k & 255}`) wrong.push(k);
    expect(wrong).toEqual([]);
    expect(ipv4Text(0xc0000201)).toBe('192.0.2.1');
  });

  it('writes every octet value in every position, each text length from 7 to 15', () => {
    const text = (k: number): string => [k >>> 24, (k >>> 16) & 255, (k >>> 8) & 255, k & 255].join('.');
    const keys: number[] = [];
    for (let v = 0; v < 256; v++) for (const other of [0, 7, 42, 255]) for (let pos = 0; pos < 4; pos++) keys.push(((other * 0x01010101) & ~(255 << (8 * pos)) | (v << (8 * pos))) >>> 0);
    let x = 1;
    for (let i = 0; i < 20_000; i++) keys.push((x = (Math.imul(x, 1103515245) + 12345) >>> 0));
    expect(keys.filter((k) => ipv4Text(k) !== text(k))).toEqual([]);
    expect(new Set(keys.map((k) => ipv4Text(k).length))).toEqual(new Set([7, 8, 9, 10, 11, 12, 13, 14, 15]));
  });

  it('formats MAC addresses in lower-case hex', () => {
    expect(macAt(new Uint8Array([9, 0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef]), 1)).toBe('00:1b:21:ab:cd:ef');
  });

  it('FrameView reads as DataView does, in both byte orders', () => {
    const bytes = new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
    const fv = new FrameView();
    fv.bytes = bytes;
    const dv = new DataView(bytes.buffer);
    for (let off = 0; off <= 4; off++) {
      for (const le of [false, true]) {
        expect(fv.getUint32(off, le)).toBe(dv.getUint32(off, le));
        expect(fv.getUint16(off, le)).toBe(dv.getUint16(off, le));
      }
    }
  });

  it('withEnd narrows the end for the next decoder only, even when it throws, and never widens it', () => {
    const input: DecodeInput = { bytes: new Uint8Array(10), view: new FrameView(), end: 10, weird: () => undefined };
    const ev = { kind: 'packet', ts: 0, source: { file: 'f' } } as NetEvent;
    const seen: Array<[number, number, NetEvent]> = [];
    const next: Decoder = (i, off, e) => { seen.push([i.end, off, e]); };
    withEnd(input, 6, next, 3, ev);
    expect([seen[0], input.end]).toEqual([[6, 3, ev], 10]);
    expect(() => withEnd(input, 4, () => { throw new Error('x'); }, 0, ev)).toThrow('x');
    expect(input.end).toBe(10);
    withEnd(input, 20, next, 5, ev);
    expect(seen[1]).toEqual([10, 5, ev]);
  });
});
