/** Minimal typing of pcap-parser 0.2.1 (lib/pcap-parser.js), which ships none. */
declare module 'pcap-parser' {
  interface GlobalHeader {
    magicNumber: number;
    majorVersion: number;
    minorVersion: number;
    gmtOffset: number;
    timestampAccuracy: number;
    snapshotLength: number;
    linkLayerType: number;
  }
  interface PacketHeader {
    timestampSeconds: number;
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  }
  interface Packet {
    header: PacketHeader;
    data: Uint8Array;
  }
  interface StreamLike {
    on(event: string, fn: (arg?: unknown) => void): unknown;
    pause(): void;
    resume(): void;
  }
  interface Parser {
    on(event: 'globalHeader', fn: (h: GlobalHeader) => void): this;
    on(event: 'packetHeader', fn: (h: PacketHeader) => void): this;
    on(event: 'packet', fn: (p: Packet) => void): this;
    on(event: 'error', fn: (e: Error) => void): this;
    on(event: 'end', fn: () => void): this;
    /** Internal flag: once set the parser ignores further data. */
    errored?: boolean;
    buffer: Uint8Array | null;
  }
  export function parse(input: StreamLike | string): Parser;
}
