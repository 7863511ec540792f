import { afterEach, describe, expect, it } from 'vitest';
import type { Decoder } from '../../../analysis/decode/decode-context';
import { etherTypeDecoders, ipProtoDecoders, linkTypeDecoders } from '../../../analysis/decode/dispatch';
import '../../../analysis/decode/registry';
import { ethernet, ipv4 } from '../../helpers/pcap-writer';
import { decode } from './frames';

describe('decoder dispatch tables', () => {
  afterEach(() => {
    etherTypeDecoders.delete(0x88b5);
    ipProtoDecoders.delete(253);
  });

  it('are filled by the registry: link types, EtherTypes and IP protocols', () => {
    expect([...linkTypeDecoders.keys()].sort((a, b) => a - b)).toEqual([0, 1, 101, 108, 113, 228, 229, 239, 276]);
    expect([...etherTypeDecoders.keys()].sort((a, b) => a - b)).toEqual([0x0800, 0x8100, 0x86dd, 0x88a8, 0x9100]);
    expect([...ipProtoDecoders.keys()].sort((a, b) => a - b)).toEqual([1, 6, 17, 58]);
  });

  it('a decoder added to a table is reached by the layer below, at the offset after its header', () => {
    const calls: number[] = [];
    const mark: Decoder = (_input, off) => { calls.push(off); };
    etherTypeDecoders.set(0x88b5, mark);
    ipProtoDecoders.set(253, mark);
    decode(ethernet(new Uint8Array(4), 0x88b5));
    decode(ethernet(ipv4('10.0.0.1', '10.0.0.2', 253, new Uint8Array(4)), 0x0800));
    expect(calls).toEqual([14, 34]);
  });

  it('a number past a table has no decoder, and none can be registered there', () => {
    expect(etherTypeDecoders.get(0x10000)).toBeUndefined();
    expect(ipProtoDecoders.get(-1)).toBeUndefined();
    expect(linkTypeDecoders.has(0x7fffffff)).toBe(false);
    expect(() => ipProtoDecoders.set(256, () => undefined)).toThrow(RangeError);
  });
});
