import type { Decoder } from './decode-context';

/**
 * The decoder chain as tables (Zeek: register_packet_analyzer). A decoder
 * looks up the next one by the number its header carries; nothing else
 * knows the order. The tables are filled by registry.ts.
 */
export const linkTypeDecoders = new Map<number, Decoder>();
export const etherTypeDecoders = new Map<number, Decoder>();
export const ipProtoDecoders = new Map<number, Decoder>();
