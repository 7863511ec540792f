/**
 * The packet view's second pass over a capture: the conversation a quoted
 * packet belongs to (the other packets of its 5-tuple, both directions) and,
 * for TCP, the payload each side sent ("follow"). Fed one frame at a time; the
 * rows and the payload kept are bounded, so a capture of any size costs the
 * same memory. The tshark filters select the same packets in Wireshark.
 */
import { excerpt } from '../detect/excerpt';
import { IPPROTO_TCP, type NetEvent } from '../events/event';
import { frameData, type CaptureFrame } from '../ingest/capture/frame';
import { dissectFrame } from './dissect';
import { FrameView, type DecodeInput } from './decode-context';
import { decodeFrame } from './registry';

/** The two ends of a conversation; `a` is the quoted packet's source. */
export interface ConversationKey {
  proto: number;
  ipVersion: 4 | 6;
  a: string;
  b: string;
  aPort?: number;
  bPort?: number;
}

export interface ConversationPacket {
  packet: number;
  /** µs since the epoch, UTC. */
  ts: number;
  /** True when it went from `a` to `b`. */
  fromA: boolean;
  /** Bytes on the wire. */
  length: number;
  /** The analysis's one-line rendering of the packet (excerpt.ts). */
  excerpt: string;
}

/** One run of TCP payload in one direction, as text with unprintable bytes shown as dots. */
export interface FollowSegment {
  fromA: boolean;
  /** The first packet whose payload is in this run. */
  packet: number;
  text: string;
  bytes: number;
}

export interface ConversationView {
  key: ConversationKey;
  /** Around the quoted packet: up to `before` rows before it and `after` from it on. */
  packets: ConversationPacket[];
  /** Packets of the conversation before the first row shown. */
  skippedBefore: number;
  /** All its packets in the file, or null when reading stopped once the rows and payload were full. */
  total: number | null;
  /** TCP only: each side's payload in file order, retransmissions (same direction and sequence number) once. */
  follow: { segments: FollowSegment[]; bytes: number; truncated: boolean } | null;
}

export interface ConversationLimits {
  before: number;
  after: number;
  followBytes: number;
}

export const CONVERSATION_LIMITS: ConversationLimits = { before: 100, after: 100, followBytes: 64 * 1024 };

/** The conversation a decoded packet belongs to, or null when it has no IP addresses. */
export function conversationKey(ev: Pick<NetEvent, 'src' | 'dst' | 'proto' | 'ipVersion' | 'sport' | 'dport'>): ConversationKey | null {
  if (!ev.src || !ev.dst || ev.proto === undefined || !ev.ipVersion) return null;
  return { proto: ev.proto, ipVersion: ev.ipVersion, a: ev.src, b: ev.dst, ...(ev.sport !== undefined && ev.dport !== undefined ? { aPort: ev.sport, bPort: ev.dport } : {}) };
}

/** Which way the packet went in the conversation, or null when it is not part of it. */
export function direction(k: ConversationKey, ev: Pick<NetEvent, 'src' | 'dst' | 'proto' | 'sport' | 'dport'>): 'a' | 'b' | null {
  if (ev.proto !== k.proto) return null;
  if (ev.src === k.a && ev.dst === k.b && ev.sport === k.aPort && ev.dport === k.bPort) return 'a';
  if (ev.src === k.b && ev.dst === k.a && ev.sport === k.bPort && ev.dport === k.aPort) return 'b';
  return null;
}

const PROTO_FIELD: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };
const PROTO_FILTER: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 132: 'sctp' };

/** Display filters for tshark and Wireshark: the packet by number, and its conversation both ways. */
export function tsharkFilters(packet: number, k: ConversationKey | null): { packet: string; conversation?: string } {
  const out: { packet: string; conversation?: string } = { packet: `frame.number == ${packet}` };
  if (!k) return out;
  const ip = k.ipVersion === 6 ? 'ipv6' : 'ip';
  const t = PROTO_FIELD[k.proto];
  if (t && k.aPort !== undefined && k.bPort !== undefined) {
    const side = (s: string, sp: number, d: string, dp: number) => `(${ip}.src == ${s} && ${t}.srcport == ${sp} && ${ip}.dst == ${d} && ${t}.dstport == ${dp})`;
    out.conversation = `${side(k.a, k.aPort, k.b, k.bPort)} || ${side(k.b, k.bPort, k.a, k.aPort)}`;
  } else {
    const proto = PROTO_FILTER[k.proto] ?? `${ip === 'ip' ? 'ip.proto' : 'ipv6.nxt'} == ${k.proto}`;
    out.conversation = `${ip}.addr == ${k.a} && ${ip}.addr == ${k.b} && ${proto}`;
  }
  return out;
}

/** Latin-1 text of payload bytes with control characters (but tab and newlines) as dots, like Wireshark's Follow → ASCII. */
export function printable(bytes: Uint8Array): string {
  let s = '';
  for (const c of bytes) s += c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) ? String.fromCharCode(c) : '.';
  return s;
}

/** Collects one conversation from a capture's frames; `full` says when reading on cannot change the view. */
export class ConversationCollector {
  private readonly ring: ConversationPacket[] = [];
  private readonly rows: ConversationPacket[] = [];
  private seen = 0;
  private beforeCount = 0;
  private readonly follow: NonNullable<ConversationView['follow']> | null;
  private readonly seqSeen = new Set<string>();
  private readonly view = new FrameView();

  constructor(private readonly key: ConversationKey, private readonly target: number, private readonly limits: ConversationLimits = CONVERSATION_LIMITS) {
    this.follow = key.proto === IPPROTO_TCP ? { segments: [], bytes: 0, truncated: false } : null;
  }

  /** True once the rows after the target and the payload are complete: the rest of the file is only counted. */
  get full(): boolean {
    return this.rows.length >= this.limits.after && (!this.follow || this.follow.truncated);
  }

  add(f: CaptureFrame, file: string): void {
    const bytes = frameData(f);
    this.view.bytes = bytes;
    const input: DecodeInput = { bytes, view: this.view, end: bytes.length, weird: () => undefined };
    const ts = f.tsSec * 1_000_000 + Math.floor(f.tsNanos / 1000);
    const ev = { kind: 'packet', ts, length: f.origLen, source: { file, packet: f.packet, offset: f.offset } } as NetEvent;
    decodeFrame(f.linkType, input, ev);
    const dir = direction(this.key, ev);
    if (!dir) return;
    this.seen++;
    const row: ConversationPacket = { packet: f.packet, ts, fromA: dir === 'a', length: f.origLen, excerpt: excerpt(ev) };
    if (f.packet < this.target) {
      this.beforeCount++;
      this.ring.push(row);
      if (this.ring.length > this.limits.before) this.ring.shift();
    } else if (this.rows.length < this.limits.after) {
      this.rows.push(row);
    }
    if (this.follow && !this.follow.truncated && (ev.payloadLength ?? 0) > 0) this.addPayload(f, ev, dir === 'a');
  }

  private addPayload(f: CaptureFrame, ev: NetEvent, fromA: boolean): void {
    const follow = this.follow!;
    const seqKey = `${fromA ? 'a' : 'b'}${ev.seq}`;
    if (this.seqSeen.has(seqKey)) return;
    this.seqSeen.add(seqKey);
    const data = frameData(f);
    const d = dissectFrame(f.linkType, data, f.origLen);
    if (!d.payload) return;
    const room = this.limits.followBytes - follow.bytes;
    const take = Math.min(room, d.payload.length);
    const text = printable(data.subarray(d.payload.offset, d.payload.offset + take));
    const last = follow.segments.at(-1);
    if (last && last.fromA === fromA) {
      last.text += text;
      last.bytes += take;
    } else {
      follow.segments.push({ fromA, packet: f.packet, text, bytes: take });
    }
    follow.bytes += take;
    if (take < d.payload.length) follow.truncated = true;
  }

  /** The view; `complete` when the whole file was read (the total is then exact). */
  finish(complete: boolean): ConversationView {
    return {
      key: this.key,
      packets: [...this.ring, ...this.rows],
      skippedBefore: this.beforeCount - this.ring.length,
      total: complete ? this.seen : null,
      follow: this.follow,
    };
  }
}
