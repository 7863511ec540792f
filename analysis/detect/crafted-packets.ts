import {
  IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type NetEvent,
} from '../events/event';
import type { DetectContext, Finding } from './detector';
import { ConversationFlags } from './crafted/conversations';
import { craftedFinding } from './crafted/finding';
import type { Kind } from './crafted/kinds';
import { Tallies, type Tally } from './crafted/tally';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';
import { eventOrder, slim } from './stream-evidence';
import { streamSubject } from './stream-subject';

export { MAX_CONVERSATIONS } from './crafted/conversations';
export { MAX_SOURCES } from './crafted/tally';

/**
 * Packets no TCP/IP stack sends on its own, from our host: they mean a raw-socket
 * tool (scanner, firewall-probing script, worm) runs there. Seed: incidents list
 * 2000-01-19 "Unusual scan pattern": argus saw same source and destination ports,
 * lone FINs and ACKs without a handshake (state "E"), all from one script.
 *
 * And port 0: genuine TCP/UDP port 0 is crafted too, but most "port 0" in an
 * IDS report is a non-first IP fragment, which carries no transport header at
 * all (RFC 791: only the first fragment holds the ports); IDSs and flow tools
 * that print ports anyway print 0 (SANS ISC diary 2005-06-03, "Genuine TCP Port 0
 * activity"). Those fragments are context, not evidence of anything.
 *
 * Streaming: flag combinations, port 0 and fragments are judged packet by
 * packet. Same ports and lone ACKs depend on the whole conversation (a SYN
 * or payload anywhere in it makes them ordinary), so each TCP conversation of
 * our hosts keeps its flags and counts (crafted/conversations.ts), and the
 * first and last packet of those that may still qualify are kept for quoting;
 * the decision is taken at finish, whatever order the packets came in.
 */

/**
 * An unanswered ACK this close to the start of its capture file may
 * acknowledge a segment sent before the capture began: a receiver's delayed
 * ACK is due within 0.5 s (RFC 9293 §3.8.6.3). Later than that, a segment it
 * acknowledges would be in the capture.
 */
export const JOIN_WINDOW_US = 500_000;
/** Conversations whose first and last packets are kept for quoting; further ones are counted, not quoted. */
export const MAX_QUOTED_CONVERSATIONS = 65_536;
/** Unanswered lone-ACK flow records near the start of their file, decided at finish; further ones are counted. */
export const MAX_PENDING_RECORDS = 65_536;

/** argus state letters as in the seed's patched ra output: s SYN, S SYN-ACK, E established, R reset, F fin, C close. */
const ARGUS_LETTERS = /^[sSEFRC]+$/;
/** ra -Z b: the TCP flags each side sent, "<source>_<destination>" ("F_RA": a lone FIN answered by RST-ACK), "*" where the column was cut. */
const ARGUS_FLAGS = /^([FSRPAU78]*)(?:_([FSRPAU78]*))?\*?$/;

/** How the other side met a lone ACK: with RST (it knows no such connection), not at all, or otherwise (it holds the connection). */
type Answer = 'rst' | 'none' | 'other';

interface Quoted { first: NetEvent; last: NetEvent }

export class CraftedAccumulator implements Accumulator {
  private readonly isSubject: (a: string | undefined) => boolean;
  readonly files: string[] = [];
  private readonly fileIds = new Map<string, number>();
  /** Earliest event seen in each file: where its capture starts. */
  readonly fileStart: number[] = [];
  private curFile: string | undefined;
  private curId = 0;
  readonly table = new ConversationFlags((f, g) => this.files[f] > this.files[g]);
  /** Our directions that may still be a same-port or lone-ACK conversation: their first and last packet. */
  readonly quoted = new Map<number, Quoted>();
  readonly tallies = new Tallies();
  /** Unanswered lone-ACK flow records within JOIN_WINDOW_US of their file's start as seen so far. */
  pending: NetEvent[] = [];
  pendingOverflow = 0;

  constructor(ctx: StreamContext) {
    this.isSubject = streamSubject(ctx);
  }

  add(ev: NetEvent): void {
    const file = ev.source.file;
    if (file !== this.curFile) { this.curFile = file; this.curId = this.fileId(file); }
    if (ev.ts < this.fileStart[this.curId]) this.fileStart[this.curId] = ev.ts;
    if (ev.kind === 'packet') this.packet(ev);
    else if (ev.kind === 'flow' && ev.flow && this.isSubject(ev.src)) this.flowRecord(ev);
  }

  private packet(ev: NetEvent): void {
    const src = ev.src;
    if (src === undefined) return;
    const ours = this.isSubject(src);
    if (ev.fragment && ev.fragment.offset > 0) {
      if (ours && ev.sport === undefined && ev.dport === undefined) this.count('fragment-port-zero', ev);
      return;
    }
    if (ev.proto !== IPPROTO_TCP) {
      if (ours && ev.proto === IPPROTO_UDP && (ev.dport === 0 || ev.sport === 0)) this.count('port-zero', ev);
      return;
    }
    if (ev.dport === 0 || ev.sport === 0) {
      if (ours) this.count('port-zero', ev);
      return;
    }
    const flags = ev.tcpFlags;
    if (flags === undefined) return;
    if (ours) {
      const f = flags & 0x3f;
      if (f === 0x3f) this.count('all-flags', ev);
      else if ((f & (TCP_SYN | TCP_FIN)) === (TCP_SYN | TCP_FIN)) this.count('syn-fin', ev);
      else if (f === 0) this.count('null-flags', ev);
      else if (f & TCP_FIN && !(f & (TCP_ACK | TCP_SYN | TCP_RST))) this.count('lone-fin', ev);
    }
    if (ev.sport === undefined || ev.dport === undefined || ev.dst === undefined) return;
    if (!ours && !this.isSubject(ev.dst)) return;
    const slot = this.table.add(src, ev.sport, ev.dst, ev.dport, flags, (ev.payloadLength ?? 0) > 0, ev.ts, this.curId, ev.src4, ev.dst4);
    if (slot < 0) return;
    if (ours) this.quote(slot, ev);
    // This packet may have made the other direction an ordinary connection (a SYN, payload, a FIN).
    if (this.quoted.size > 0 && !this.candidate(slot ^ 1)) this.quoted.delete(slot ^ 1);
  }

  /** Same ports, or a lone ACK, in a conversation nothing has shown to be a connection yet. */
  private candidate(slot: number): boolean {
    const t = this.table;
    return t.pkts[slot] > 0 && t.unopened(slot) && (t.samePort(slot) || t.loneAck(slot));
  }

  private quote(slot: number, ev: NetEvent): void {
    if (!this.candidate(slot)) {
      if (this.quoted.size > 0) this.quoted.delete(slot);
      return;
    }
    const q = this.quoted.get(slot);
    if (q) {
      if (eventOrder(ev, q.first) < 0) q.first = slim(ev);
      else if (eventOrder(ev, q.last) > 0) q.last = slim(ev);
    } else if (this.quoted.size < MAX_QUOTED_CONVERSATIONS) {
      const s = slim(ev);
      this.quoted.set(slot, { first: s, last: s });
    }
  }

  private count(kind: Kind, ev: NetEvent): void {
    this.tallies.get(ev.src!, kind)?.add(ev);
  }

  /** Flow summaries (argus, Zeek conn.log) from our host: same ports, and argus states of lone FIN / ACK without handshake. */
  private flowRecord(ev: NetEvent): void {
    if (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP) return;
    if (ev.dport === 0 || ev.sport === 0) { this.count('port-zero', ev); return; }
    if (ev.proto !== IPPROTO_TCP) return;
    const f = ev.flow!;
    const state = f.state ?? '';
    const letters = ARGUS_LETTERS.test(state);
    // The flags each side sent, when ra -Z b printed them; a SYN among ours means our host opened a connection.
    const parsed = !letters && /[_*]/.test(state) ? ARGUS_FLAGS.exec(state) : null;
    const sent = parsed?.[1];
    const noHandshake = letters ? !state.includes('s') && !state.includes('S') : sent !== undefined && !sent.includes('S');
    if (ev.sport !== undefined && ev.sport === ev.dport && (noHandshake || (f.pktsOut <= 2 && f.bytesIn === 0))) this.count('same-port', ev);
    if (!noHandshake) return;
    // Packets came back when the record counts some (a totals-only record cannot tell).
    const back = !f.totalsOnly && f.pktsIn > 0;
    if (sent !== undefined) {
      const received = parsed?.[2] ?? '';
      if (sent.includes('F') && !/[AR]/.test(sent)) this.count('lone-fin', ev);
      else if (sent === '' && f.pktsOut > 0) this.count('null-flags', ev);
      else if (sent === 'A' && f.pktsOut <= 2 && !/[^AR]/.test(received)) {
        this.loneAckRecord(ev, received.includes('R') ? 'rst' : received !== '' || back ? 'other' : 'none');
      }
    } else if (state.startsWith('F')) this.count('lone-fin', ev);
    else if (state.startsWith('E') && !state.includes('F') && f.pktsOut <= 2) {
      this.loneAckRecord(ev, state.includes('R') ? 'rst' : back ? 'other' : 'none');
    }
  }

  private loneAckRecord(ev: NetEvent, answer: Answer): void {
    if (answer === 'other') return;
    // A file's start only moves earlier: a record already past the window stays past it.
    if (answer === 'rst' || ev.ts - this.fileStart[this.curId] > JOIN_WINDOW_US) this.countRecord(ev, answer === 'rst');
    else this.pend(slim(ev));
  }

  private countRecord(ev: NetEvent, refused: boolean): void {
    const t = this.tallies.get(ev.src!, 'ack-no-handshake');
    if (!t) return;
    t.add(ev);
    t.conversations++;
    if (refused) t.refused++;
  }

  private pend(ev: NetEvent): void {
    if (this.pending.length < MAX_PENDING_RECORDS) this.pending.push(ev);
    else this.pendingOverflow++;
  }

  private fileId(name: string): number {
    let id = this.fileIds.get(name);
    if (id === undefined) {
      id = this.files.length;
      this.fileIds.set(name, id);
      this.files.push(name);
      this.fileStart.push(Infinity);
    }
    return id;
  }

  merge(other: Accumulator): void {
    const o = other as CraftedAccumulator;
    const fileMap = o.files.map((name, j) => {
      const id = this.fileId(name);
      this.fileStart[id] = Math.min(this.fileStart[id], o.fileStart[j]);
      return id;
    });
    const slotMap = this.table.merge(o.table, (j) => fileMap[j]);
    for (const [j, q] of o.quoted) {
      const i = slotMap[j];
      if (i < 0) continue;
      const mine = this.quoted.get(i);
      if (mine) {
        if (eventOrder(q.first, mine.first) < 0) mine.first = q.first;
        if (eventOrder(q.last, mine.last) > 0) mine.last = q.last;
      } else if (this.quoted.size < MAX_QUOTED_CONVERSATIONS) this.quoted.set(i, { ...q });
    }
    // What the other part saw may show a kept conversation to be a connection after all.
    for (const i of [...this.quoted.keys()]) if (!this.candidate(i)) this.quoted.delete(i);
    this.tallies.merge(o.tallies);
    for (const ev of o.pending) this.pend(ev);
    this.pendingOverflow += o.pendingOverflow;
    this.curFile = undefined;
  }

  finish(_ctx: DetectContext): Finding[] {
    const out = new Tallies();
    out.merge(this.tallies);
    for (const ev of this.pending) {
      const t = out.get(ev.src!, 'ack-no-handshake');
      if (!t) continue;
      if (ev.ts - this.fileStart[this.fileIds.get(ev.source.file)!] > JOIN_WINDOW_US) {
        t.add(ev);
        t.conversations++;
      } else t.joinedLate++;
    }
    this.conversations(out);
    const bounds = { sourcesDropped: out.dropped, packetsNotFollowed: this.table.overflowPackets, recordsNotClassified: this.pendingOverflow };
    return out.sorted().map(({ src, kind, tally }) => craftedFinding(src, kind, tally, bounds));
  }

  /** The same-port and lone-ACK conversations, decided now that the whole of each is known. */
  private conversations(out: Tallies): void {
    const t = this.table;
    for (let slot = 0; slot < 2 * t.rows; slot++) {
      if (!this.candidate(slot)) continue;
      const [src, , dst] = t.direction(slot);
      if (!this.isSubject(src)) continue;
      const q = this.quoted.get(slot);
      if (t.samePort(slot)) this.conversation(out.get(src, 'same-port'), slot, dst, q);
      if (!t.loneAck(slot)) continue;
      const tally = out.get(src, 'ack-no-handshake');
      if (!tally) continue;
      const o = slot ^ 1;
      const refused = (t.flags[o] & TCP_RST) !== 0;
      // Answered, and not with RST: the other side holds this connection (RFC 9293 §3.10.7.4 answers an unacceptable ACK with an ACK).
      if (!refused && t.pkts[o] > 0) continue;
      if (!refused && t.lastTs[slot] - this.fileStart[t.lastFile[slot]] <= JOIN_WINDOW_US) { tally.joinedLate++; continue; }
      tally.conversations++;
      if (refused) tally.refused++;
      this.conversation(tally, slot, dst, q);
    }
  }

  private conversation(tally: Tally | undefined, slot: number, dst: string, q: Quoted | undefined): void {
    if (!tally) return;
    tally.packets += this.table.pkts[slot];
    if (q) {
      tally.quote(q.first);
      if (q.last !== q.first) tally.quote(q.last);
    } else {
      tally.unquoted++;
      tally.target(dst, this.table.lastTs[slot]);
    }
  }
}

export const craftedPackets = streamingDetector('crafted-packets', (ctx) => new CraftedAccumulator(ctx));
