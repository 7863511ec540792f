import { describe, expect, it } from 'vitest';
import { describeFrame, toHex } from '../../../analysis/decode/packet-detail';
import { corpusFrames } from './frames';

describe('packet detail', () => {
  it('the SYN of tcpdump-handshake-nano: nanosecond time split at the µs, cooked link type by name, the hex of every captured byte', async () => {
    const [f] = await corpusFrames('tcpdump__tcp-handshake-nano.pcap');
    const d = describeFrame(f, 'handshake.pcap');
    expect(d).toMatchObject({ file: 'handshake.pcap', packet: 1, linkType: 'LINUX_SLL', capturedLength: f.data.length, originalLength: f.origLen, offset: 24 });
    expect(d.ts * 1000 + d.tsNanos).toBe(f.tsSec * 1e9 + f.tsNanos);
    expect(d.tsNanos).toBe(f.tsNanos % 1000);
    expect(d.hex).toHaveLength(2 * f.data.length);
    expect(d.key).toEqual({ proto: 6, ipVersion: 4, a: '131.155.215.69', b: '137.116.81.94', aPort: 46656, bPort: 80 });
    expect(d.filters.packet).toBe('frame.number == 1');
    expect(d.conversation).toBeNull();
    expect(d.layers.map((l) => l.name)).toEqual(['Linux cooked capture', 'IPv4', 'TCP']);
  });

  it('toHex writes two lower-case digits a byte', () => {
    expect(toHex(new Uint8Array([0, 0x0f, 0xa0, 0xff]))).toBe('000fa0ff');
    expect(toHex(new Uint8Array(0))).toBe('');
  });
});
