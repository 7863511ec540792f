import { describe, it } from 'vitest';
import { formatSize, nstimeToSec, printfFixed, sizeRange } from './tshark-numbers';

describe("tshark's printed numbers", () => {
  it('prints doubles as glibc printf does: the exact binary value, ties to even', ({ expect }) => {
    // Expected values are Python's (and C's) '%.4f' / '%.9f' of the same doubles.
    expect(printfFixed(0.03125, 4)).toBe('0.0312');
    expect(printfFixed(0.09375, 4)).toBe('0.0938');
    expect(printfFixed(1.00005, 4)).toBe('1.0001');
    expect(printfFixed(0, 4)).toBe('0.0000');
    expect(printfFixed(1300475170.862384081, 9)).toBe('1300475170.862384081');
    // A timeless packet 1060648157.150816 s before frame 1, as tshark printed it for simple-packets.pcapng.
    expect(printfFixed(nstimeToSec(-1060648157150816000n), 9)).toBe('-1060648157.150815964');
  });

  it('reads a printed size as the byte range it stands for', ({ expect }) => {
    expect(sizeRange('871 bytes')).toEqual([871, 871]);
    expect(sizeRange('1025 kB')).toEqual([1_025_000, 1_025_999]);
    expect(sizeRange('12 MB')).toEqual([12_000_000, 12_999_999]);
    expect([9999, 10_000, 1_025_883, 9_999_999, 10_000_000].map(formatSize)).toEqual(['9999 bytes', '10 kB', '1025 kB', '9999 kB', '10 MB']);
  });
});
