import { IPPROTO_TCP, type NetEvent } from '../events/event';
import { DistinctCounter, keyHash4 as slotHash } from './sketch/distinct-counter';
import { eventOrder, slim } from './stream-evidence';
import { NO_ROW, OTHER_ROW, RowSlots } from './sketch/row-slots';
import { ipv4Value } from '../util/ipv4-value';

/**
 * Conversations of our hosts as outbound-scan needs them, in bounded memory.
 * A conversation is a 5-tuple in both directions; for each direction it keeps
 * the time of its first packet, its packet count, whether it carried TCP
 * payload and the TCP flags it used (OR'd). For a direction whose source is
 * ours and that did not speak after the other side, it also keeps that first
 * packet (trimmed by `slim`): the attempt whose flags name the probe.
 *
 * Everything lives in typed arrays (a row per conversation, two slots per
 * row for the directions): a tracked conversation costs about 60 bytes.
 */

/** Conversations tracked; packets of further conversations are counted, not classified. */
export const MAX_CONVERSATIONS = 500_000;

export interface DirStats {
  firstTs: number;
  pkts: number;
  data: boolean;
  flagsOr: number;
}

// Small to start: every analysis makes one table, most see a handful of conversations, and the table doubles as it fills.
const INITIAL_ROWS = 128;

/** Which endpoint of a conversation comes first in its key: a fixed order, so both directions find the same row. */
function endpointBefore(a: string, aPort: number, b: string, bPort: number): boolean {
  return a < b || (a === b && aPort <= bPort);
}

/**
 * Conversations keyed numerically in an open-addressing table over typed
 * arrays: an IPv4 address is its 32-bit value, an IPv6 one the number it was
 * given when first seen (IPv6 conversations are few beside a flood of IPv4
 * ones); ports are packed in one word. No string per packet, no object per
 * conversation.
 */
export class ConversationTable {
  private rows = 0;
  private cap = INITIAL_ROWS;
  private ka = new Uint32Array(INITIAL_ROWS);
  private kb = new Uint32Array(INITIAL_ROWS);
  private kports = new Uint32Array(INITIAL_ROWS);
  /** Protocol in the low byte; bit 8 / bit 9: endpoint a / b is an interned (IPv6) address. */
  private kmeta = new Uint16Array(INITIAL_ROWS);
  /** Key hash -> row (sketch/row-slots.ts). */
  private readonly slots = new RowSlots(4 * INITIAL_ROWS);
  private readonly v6ids = new Map<string, number>();
  private readonly v6names: string[] = [];
  private firstTs = new Float64Array(2 * INITIAL_ROWS);
  private pkts = new Uint32Array(2 * INITIAL_ROWS);
  private flags = new Uint16Array(2 * INITIAL_ROWS);
  private data = new Uint8Array(2 * INITIAL_ROWS);
  private readonly firstEv: Array<NetEvent | undefined> = [];
  /** Packets of conversations past the limit, and those conversations. */
  overflowPackets = 0;
  /** Keyed by a 53-bit hash of the numeric key when both ends are IPv4 (no string per packet), else by the text. */
  readonly overflowConversations = new DistinctCounter<string | number>();

  constructor(private readonly isSubject: (addr: string) => boolean, private readonly limit = MAX_CONVERSATIONS) {}

  get size(): number {
    return this.rows;
  }

  /** One TCP/UDP packet with both addresses and ports, involving one of our hosts. */
  add(ev: NetEvent): void {
    // Transport packets carry both ports; a record without a source port is filed under port 0.
    const src = ev.src!, dst = ev.dst!, sport = ev.sport ?? 0, dport = ev.dport!;
    const forward = endpointBefore(src, sport, dst, dport);
    // The decoder's numbers when it gave them: no parsing of the dotted text at every packet.
    const s4 = ev.src4 ?? ipv4Value(src), d4 = ev.dst4 ?? ipv4Value(dst);
    const row = forward
      ? this.rowOf(ev.proto!, src, sport, dst, dport, 1, s4, d4)
      : this.rowOf(ev.proto!, dst, dport, src, sport, 1, d4, s4);
    if (row < 0) return;
    const i = 2 * row + (forward ? 0 : 1);
    const o = i ^ 1;
    const cur = this.firstEv[i];
    const isFirst = ev.ts < this.firstTs[i] || (ev.ts === this.firstTs[i] && cur !== undefined && eventOrder(ev, cur) < 0);
    this.pkts[i]++;
    if (ev.proto === IPPROTO_TCP && (ev.payloadLength ?? 0) > 0) this.data[i] = 1;
    this.flags[i] |= ev.tcpFlags ?? 0;
    if (!isFirst) return;
    this.firstTs[i] = ev.ts;
    // Kept only while the other side has not spoken earlier: an answer is never an attempt.
    this.firstEv[i] = this.isSubject(src) && !(this.firstTs[o] < ev.ts) ? slim(ev) : undefined;
    if (this.firstEv[o] !== undefined && ev.ts < this.firstTs[o]) this.firstEv[o] = undefined;
  }

  merge(other: ConversationTable): void {
    for (let r = 0; r < other.rows; r++) {
      const meta = other.kmeta[r];
      const a = other.addrName(other.ka[r], (meta & 0x100) !== 0);
      const b = other.addrName(other.kb[r], (meta & 0x200) !== 0);
      const ports = other.kports[r];
      const row = this.rowOf(meta & 0xff, a, ports >>> 16, b, ports & 0xffff, other.pkts[2 * r] + other.pkts[2 * r + 1]);
      if (row < 0) continue;
      for (let d = 0; d < 2; d++) {
        const i = 2 * row + d, j = 2 * r + d;
        const mine = this.firstEv[i], theirs = other.firstEv[j];
        if (other.firstTs[j] < this.firstTs[i]) this.firstEv[i] = theirs;
        else if (other.firstTs[j] === this.firstTs[i] && theirs && (!mine || eventOrder(theirs, mine) < 0)) this.firstEv[i] = theirs;
        this.firstTs[i] = Math.min(this.firstTs[i], other.firstTs[j]);
        this.pkts[i] += other.pkts[j];
        this.data[i] |= other.data[j];
        this.flags[i] |= other.flags[j];
      }
      for (let d = 0; d < 2; d++) {
        const i = 2 * row + d;
        if (this.firstTs[i ^ 1] < this.firstTs[i]) this.firstEv[i] = undefined;
      }
    }
    this.overflowPackets += other.overflowPackets;
    this.overflowConversations.merge(other.overflowConversations);
  }

  /**
   * Calls `visit` for every direction our host opened (it spoke first, or at
   * the same time), in no particular order. `fwd` and `rev` are two objects
   * filled again for each call: a visitor copies what it keeps. At finish
   * this runs once per attempt of a sweep, where a generator and two fresh
   * objects per attempt were a fifth of outbound-scan's finish.
   */
  forEachOpened(visit: (first: NetEvent, fwd: DirStats, rev: DirStats | undefined) => void): void {
    const fwd: DirStats = { firstTs: 0, pkts: 0, data: false, flagsOr: 0 };
    const rev: DirStats = { firstTs: 0, pkts: 0, data: false, flagsOr: 0 };
    for (let row = 0; row < this.rows; row++) {
      for (let d = 0; d < 2; d++) {
        const first = this.firstEv[2 * row + d];
        if (!first) continue;
        this.fill(fwd, 2 * row + d);
        // A packet to itself on the same port is its own reverse direction.
        const selfReverse = first.src === first.dst && first.sport === first.dport;
        visit(first, fwd, selfReverse ? fwd : this.fill(rev, 2 * row + (d ^ 1)));
      }
    }
  }

  /** Direction `i`'s figures into `into`; undefined when that direction sent nothing. */
  private fill(into: DirStats, i: number): DirStats | undefined {
    if (this.pkts[i] === 0) return undefined;
    into.firstTs = this.firstTs[i];
    into.pkts = this.pkts[i];
    into.data = this.data[i] === 1;
    into.flagsOr = this.flags[i];
    return into;
  }

  private addrName(value: number, interned: boolean): string {
    if (interned) return this.v6names[value];
    return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
  }

  /**
   * The row of conversation (a, aPort) - (b, bPort), a new one if there is
   * room; -1 (and `packets` counted as past the limit) if there is not.
   */
  private rowOf(proto: number, a: string, aPort: number, b: string, bPort: number, packets: number, a4 = ipv4Value(a), b4 = ipv4Value(b)): number {
    let va = a4, vb = b4;
    let meta = proto & 0xff;
    if (va < 0) { meta |= 0x100; va = this.v6ids.get(a) ?? -1; }
    if (vb < 0) { meta |= 0x200; vb = this.v6ids.get(b) ?? -1; }
    const ports = ((aPort & 0xffff) << 16 | (bPort & 0xffff)) >>> 0;
    let h = 0;
    if (va >= 0 && vb >= 0) {
      h = slotHash(va, vb, ports, meta) | 0;
      const r = this.find(h, va, vb, ports, meta);
      if (r >= 0) return r;
    }
    if (this.rows >= this.limit) {
      this.overflowPackets += packets;
      // The lookup's hash is the key's first 21 bits; a second hash, of the key turned round, the other 32.
      if (va >= 0 && vb >= 0 && (meta & 0x300) === 0) this.overflowConversations.addParts(h & 0x1fffff, slotHash(vb ^ 0x5bd1e995, va, ports, meta));
      else this.overflowConversations.add(`${proto}|${a}|${aPort}|${b}|${bPort}`);
      return -1;
    }
    if (va < 0) va = this.intern(a);
    if (vb < 0) vb = this.intern(b);
    return this.insert(va, vb, ports, meta);
  }

  /** The row holding this key (of hash `h`), or -1. */
  private find(h: number, va: number, vb: number, ports: number, meta: number): number {
    const slots = this.slots;
    for (let i = slots.start(h); i >= 0; i = slots.next(i)) {
      const r = slots.row(i, h);
      if (r === NO_ROW) break;
      if (r !== OTHER_ROW && this.ka[r] === va && this.kb[r] === vb && this.kports[r] === ports && this.kmeta[r] === meta) return r;
    }
    return -1;
  }

  private intern(addr: string): number {
    let id = this.v6ids.get(addr);
    if (id === undefined) { id = this.v6names.length; this.v6ids.set(addr, id); this.v6names.push(addr); }
    return id;
  }

  private insert(va: number, vb: number, ports: number, meta: number): number {
    if (this.rows >= this.cap) this.grow();
    const row = this.rows++;
    this.ka[row] = va; this.kb[row] = vb; this.kports[row] = ports; this.kmeta[row] = meta;
    this.slots.place(row, slotHash(va, vb, ports, meta) | 0);
    this.firstTs[2 * row] = Infinity;
    this.firstTs[2 * row + 1] = Infinity;
    this.firstEv.push(undefined, undefined);
    return row;
  }

  private grow(): void {
    const n = Math.min(this.limit, 2 * this.cap);
    this.cap = n;
    const widen = <T extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(old: T, make: (len: number) => T, len: number): T => {
      const x = make(len); x.set(old); return x;
    };
    this.ka = widen(this.ka, (l) => new Uint32Array(l), n);
    this.kb = widen(this.kb, (l) => new Uint32Array(l), n);
    this.kports = widen(this.kports, (l) => new Uint32Array(l), n);
    this.kmeta = widen(this.kmeta, (l) => new Uint16Array(l), n);
    this.firstTs = widen(this.firstTs, (l) => new Float64Array(l), 2 * n);
    this.pkts = widen(this.pkts, (l) => new Uint32Array(l), 2 * n);
    this.flags = widen(this.flags, (l) => new Uint16Array(l), 2 * n);
    this.data = widen(this.data, (l) => new Uint8Array(l), 2 * n);
  }
}
