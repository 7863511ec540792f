import { TCP_ACK, TCP_RST, TCP_SYN } from '../../events/event';
import { keyHash4 as slotHash } from '../sketch/distinct-counter';
import { ipv4Value } from '../../util/ipv4-value';
import { NO_ROW, OTHER_ROW, RowSlots } from '../sketch/row-slots';

/**
 * The TCP conversations of our hosts as crafted-packets needs them: for each
 * direction the packets sent, the flags used (OR'd), whether it carried
 * payload, and its latest packet (time and file). Enough to tell, at the end,
 * a lone ACK or a same-port packet outside any connection from one inside a
 * connection, whichever order the packets came in.
 *
 * Typed arrays, a row per conversation and two slots per row (one per
 * direction, slot 0 from endpoint a): about 50 bytes a conversation, no
 * string and no object per packet. Conversations past `limit` are not
 * followed; their packets are counted.
 */
export const MAX_CONVERSATIONS = 262_144;

// Small to start: every analysis makes one table, most see a handful of conversations, and the table doubles as it fills.
const INITIAL_ROWS = 128;
const V6_A = 1;
const V6_B = 2;

export class ConversationFlags {
  rows = 0;
  private cap = INITIAL_ROWS;
  private ka = new Uint32Array(INITIAL_ROWS);
  private kb = new Uint32Array(INITIAL_ROWS);
  /** Port of a in the high half, port of b in the low half. */
  private kports = new Uint32Array(INITIAL_ROWS);
  private kmeta = new Uint8Array(INITIAL_ROWS);
  /** Key hash -> row (sketch/row-slots.ts). */
  private readonly slots = new RowSlots(4 * INITIAL_ROWS);
  private readonly v6ids = new Map<string, number>();
  private readonly v6names: string[] = [];
  pkts = new Uint32Array(2 * INITIAL_ROWS);
  flags = new Uint8Array(2 * INITIAL_ROWS);
  data = new Uint8Array(2 * INITIAL_ROWS);
  lastTs = new Float64Array(2 * INITIAL_ROWS);
  /** File of the latest packet, as an index into the owner's file list. */
  lastFile = new Uint32Array(2 * INITIAL_ROWS);
  /** Packets of conversations past the limit. */
  overflowPackets = 0;

  /** `later(f, g)`: whether file f sorts after file g, to break ties between packets of the same time. */
  constructor(private readonly later: (f: number, g: number) => boolean, private readonly limit = MAX_CONVERSATIONS) {}

  /** One TCP packet; the slot of its direction, or -1 when the table is full and the conversation new. */
  add(src: string, sport: number, dst: string, dport: number, flags: number, data: boolean, ts: number, file: number, src4?: number, dst4?: number): number {
    const slot = this.slotOf(src, sport, dst, dport, 1, src4, dst4);
    if (slot < 0) return -1;
    this.pkts[slot]++;
    this.flags[slot] |= flags;
    if (data) this.data[slot] = 1;
    this.noteLatest(slot, ts, file);
    return slot;
  }

  /** Folds another table in; `fileOf` maps its file indexes to ours. Returns, per slot of theirs, our slot (-1: not followed). */
  merge(o: ConversationFlags, fileOf: (theirs: number) => number): Int32Array {
    const map = new Int32Array(2 * o.rows).fill(-1);
    for (let r = 0; r < o.rows; r++) {
      const [a, aPort, b, bPort] = o.endpoints(r);
      const slot = this.slotOf(a, aPort, b, bPort, o.pkts[2 * r] + o.pkts[2 * r + 1]);
      if (slot < 0) continue;
      // Our slot of a -> b; IPv6 addresses are numbered per table, so our row may hold b first.
      for (let d = 0; d < 2; d++) {
        const i = d === 0 ? slot : slot ^ 1, j = 2 * r + d;
        map[j] = i;
        if (o.pkts[j] === 0) continue;
        this.pkts[i] += o.pkts[j];
        this.flags[i] |= o.flags[j];
        this.data[i] |= o.data[j];
        this.noteLatest(i, o.lastTs[j], fileOf(o.lastFile[j]));
      }
    }
    this.overflowPackets += o.overflowPackets;
    return map;
  }

  /** Source, source port, destination and destination port of a slot's direction. */
  direction(slot: number): [string, number, string, number] {
    const [a, aPort, b, bPort] = this.endpoints(slot >> 1);
    return slot & 1 ? [b, bPort, a, aPort] : [a, aPort, b, bPort];
  }

  /** Neither side opened the conversation (no SYN) nor carried data: nothing a stack sends inside a connection happened. */
  unopened(slot: number): boolean {
    const o = slot ^ 1;
    return ((this.flags[slot] | this.flags[o]) & TCP_SYN) === 0 && this.data[slot] === 0 && this.data[o] === 0;
  }

  samePort(slot: number): boolean {
    const ports = this.kports[slot >> 1];
    return ports >>> 16 === (ports & 0xffff) && ports !== 0;
  }

  /**
   * This direction sent only bare ACKs, at most two (a probe and its retry),
   * and the other side at most ACKs and RSTs: still a lone-ACK conversation,
   * and it stays one whatever is added later only if nothing else comes.
   */
  loneAck(slot: number): boolean {
    return (this.flags[slot] & 0x3f) === TCP_ACK && this.pkts[slot] <= 2 && (this.flags[slot ^ 1] & 0x3f & ~(TCP_RST | TCP_ACK)) === 0;
  }

  private noteLatest(i: number, ts: number, file: number): void {
    if (ts > this.lastTs[i] || (ts === this.lastTs[i] && this.later(file, this.lastFile[i]))) {
      this.lastTs[i] = ts;
      this.lastFile[i] = file;
    }
  }

  private endpoints(r: number): [string, number, string, number] {
    const meta = this.kmeta[r], ports = this.kports[r];
    return [this.name(this.ka[r], (meta & V6_A) !== 0), ports >>> 16, this.name(this.kb[r], (meta & V6_B) !== 0), ports & 0xffff];
  }

  private name(value: number, v6: boolean): string {
    if (v6) return this.v6names[value];
    return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
  }

  /** The slot of the direction src -> dst, a new row if there is room; -1 (and `packets` counted) if not. */
  /** `src4`/`dst4`: the addresses' IPv4 values when the decoder gave them (else parsed here). */
  private slotOf(src: string, sport: number, dst: string, dport: number, packets: number, src4 = ipv4Value(src), dst4 = ipv4Value(dst)): number {
    let vs = src4, vd = dst4;
    const s6 = vs < 0, d6 = vd < 0;
    if (s6) vs = this.v6ids.get(src) ?? -1;
    if (d6) vd = this.v6ids.get(dst) ?? -1;
    if (vs >= 0 && vd >= 0) {
      const found = this.find(vs, s6, sport, vd, d6, dport);
      if (found >= 0) return found;
    }
    if (this.rows >= this.limit) {
      this.overflowPackets += packets;
      return -1;
    }
    if (vs < 0) vs = this.intern(src);
    if (vd < 0) vd = this.intern(dst);
    const forward = before(s6, vs, sport, d6, vd, dport);
    const row = forward ? this.insert(vs, s6, sport, vd, d6, dport) : this.insert(vd, d6, dport, vs, s6, sport);
    return 2 * row + (forward ? 0 : 1);
  }

  private find(vs: number, s6: boolean, sport: number, vd: number, d6: boolean, dport: number): number {
    const forward = before(s6, vs, sport, d6, vd, dport);
    const a = forward ? vs : vd, b = forward ? vd : vs;
    const ports = forward ? packPorts(sport, dport) : packPorts(dport, sport);
    const meta = forward ? (s6 ? V6_A : 0) | (d6 ? V6_B : 0) : (d6 ? V6_A : 0) | (s6 ? V6_B : 0);
    const h = slotHash(a, b, ports, meta) | 0;
    const slots = this.slots;
    for (let i = slots.start(h); i >= 0; i = slots.next(i)) {
      const r = slots.row(i, h);
      if (r === NO_ROW) break;
      if (r !== OTHER_ROW && this.ka[r] === a && this.kb[r] === b && this.kports[r] === ports && this.kmeta[r] === meta) return 2 * r + (forward ? 0 : 1);
    }
    return -1;
  }

  private intern(addr: string): number {
    const id = this.v6names.length;
    this.v6ids.set(addr, id);
    this.v6names.push(addr);
    return id;
  }

  private insert(a: number, a6: boolean, aPort: number, b: number, b6: boolean, bPort: number): number {
    if (this.rows >= this.cap) this.grow();
    const row = this.rows++;
    this.ka[row] = a; this.kb[row] = b; this.kports[row] = packPorts(aPort, bPort);
    this.kmeta[row] = (a6 ? V6_A : 0) | (b6 ? V6_B : 0);
    this.lastTs[2 * row] = -Infinity;
    this.lastTs[2 * row + 1] = -Infinity;
    this.slots.place(row, slotHash(this.ka[row], this.kb[row], this.kports[row], this.kmeta[row]) | 0);
    return row;
  }

  private grow(): void {
    const n = Math.min(this.limit, 2 * this.cap);
    this.cap = n;
    this.ka = widen(this.ka, new Uint32Array(n));
    this.kb = widen(this.kb, new Uint32Array(n));
    this.kports = widen(this.kports, new Uint32Array(n));
    this.kmeta = widen(this.kmeta, new Uint8Array(n));
    this.pkts = widen(this.pkts, new Uint32Array(2 * n));
    this.flags = widen(this.flags, new Uint8Array(2 * n));
    this.data = widen(this.data, new Uint8Array(2 * n));
    this.lastTs = widen(this.lastTs, new Float64Array(2 * n));
    this.lastFile = widen(this.lastFile, new Uint32Array(2 * n));
  }
}

function widen<T extends Uint32Array | Uint16Array | Uint8Array | Float64Array>(old: T, wider: T): T {
  wider.set(old);
  return wider;
}

function packPorts(aPort: number, bPort: number): number {
  return (((aPort & 0xffff) << 16) | (bPort & 0xffff)) >>> 0;
}

/** A fixed order of the two endpoints, so both directions of a conversation find the same row. */
function before(a6: boolean, a: number, aPort: number, b6: boolean, b: number, bPort: number): boolean {
  if (a6 !== b6) return !a6;
  return a < b || (a === b && aPort <= bPort);
}
