/**
 * What the packet view shows of one quoted packet: the frame as stored, its
 * headers decoded, its bytes, the conversation it belongs to and the filters
 * that find it in tshark or Wireshark. Plain data (it crosses the contract).
 */
import { frameData, linkTypeName, type CaptureFrame } from '../ingest/capture/frame';
import { conversationKey, tsharkFilters, type ConversationKey, type ConversationView } from './conversation';
import { dissectFrame, type Dissection } from './dissect';

export interface PacketDetail {
  /** The evidence file's name as the operator knows it. */
  file: string;
  packet: number;
  /** µs since the epoch, UTC, and the nanoseconds below the µs (0-999). */
  ts: number;
  tsNanos: number;
  linkType: string;
  capturedLength: number;
  originalLength: number;
  /** Byte offset of the packet's record in the file. */
  offset: number;
  /** The captured bytes as lower-case hex, two digits a byte. */
  hex: string;
  layers: Dissection['layers'];
  event: Dissection['event'];
  payload?: Dissection['payload'];
  problems: string[];
  key: ConversationKey | null;
  /** Null when the packet has no IP conversation (ARP, an undecoded link type). */
  conversation: ConversationView | null;
  filters: { packet: string; conversation?: string };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}

/** The packet's own part of the view (everything but the conversation, which needs a second look at the file). */
export function describeFrame(f: CaptureFrame, file: string): PacketDetail {
  const data = frameData(f);
  const d = dissectFrame(f.linkType, data, f.origLen);
  const key = conversationKey(d.event);
  return {
    file, packet: f.packet, ts: f.tsSec * 1_000_000 + Math.floor(f.tsNanos / 1000), tsNanos: f.tsNanos % 1000,
    linkType: linkTypeName(f.linkType), capturedLength: data.length, originalLength: f.origLen, offset: f.offset,
    hex: toHex(data), layers: d.layers, event: d.event, ...(d.payload ? { payload: d.payload } : {}), problems: d.problems,
    key, conversation: null, filters: tsharkFilters(f.packet, key),
  };
}
