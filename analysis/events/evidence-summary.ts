import { flagString, protoName, type FlowRecordInfo, type NetEvent } from './event';
import { connState, DEFAULT_MAX_FLOWS, FlowTable, type Flow } from './flow-table';

export interface Talker {
  address: string;
  packets: number;
  bytes: number;
}

export interface Conversation {
  proto: string;
  orig: string;
  origPort?: number;
  resp: string;
  respPort?: number;
  packetsOrig: number;
  packetsResp: number;
  bytesOrig: number;
  bytesResp: number;
  firstTs: number;
  lastTs: number;
  /** Zeek-style history (ShADadFf...) and conn_state (S0, SF, REJ, ...). */
  history: string;
  state: string;
}

/** Collects what `inspect` prints about one file while its events stream past. */
export class EvidenceSummaryCollector {
  readonly flows = new FlowTable();
  private readonly talkers = new Map<string, Talker>();
  /** Records of kinds other than packets (flows, alerts, log lines) by kind. */
  readonly kinds = new Map<string, number>();

  /** Conversations of flow-summary records (argus, Zeek, NetFlow), both directions' records summed. */
  private readonly recordConversations = new Map<string, Conversation>();
  private readonly recordFlags = new Map<string, [number, number]>();

  add(ev: NetEvent): void {
    this.kinds.set(ev.kind, (this.kinds.get(ev.kind) ?? 0) + 1);
    if (ev.kind === 'flow' && ev.flow) {
      this.flowRecord(ev, ev.flow);
      return;
    }
    if (ev.src !== undefined) this.count(ev.src, 1, ev.length ?? 0);
    this.flows.add(ev);
  }

  /** A flow record counts the packets it summarises, not one, and its conversation is listed like a capture's. */
  private flowRecord(ev: NetEvent, f: FlowRecordInfo): void {
    if (ev.src !== undefined) this.count(ev.src, f.pktsOut, f.bytesOut);
    if (ev.dst !== undefined && (f.pktsIn || f.bytesIn)) this.count(ev.dst, f.pktsIn, f.bytesIn);
    if (ev.src === undefined || ev.dst === undefined || ev.proto === undefined) return;
    const sp = ev.sport ?? -1;
    const dp = ev.dport ?? -1;
    const lowFirst = ev.src < ev.dst || (ev.src === ev.dst && sp <= dp);
    const key = lowFirst ? `${ev.proto}|${ev.src}|${sp}|${ev.dst}|${dp}` : `${ev.proto}|${ev.dst}|${dp}|${ev.src}|${sp}`;
    let c = this.recordConversations.get(key);
    if (!c) {
      if (this.recordConversations.size >= DEFAULT_MAX_FLOWS) return;
      c = {
        proto: protoName(ev.proto), orig: ev.src, origPort: ev.sport, resp: ev.dst, respPort: ev.dport,
        packetsOrig: 0, packetsResp: 0, bytesOrig: 0, bytesResp: 0, firstTs: ev.ts, lastTs: ev.ts, history: '', state: '',
      };
      this.recordConversations.set(key, c);
    }
    const fromOrig = c.orig === ev.src && (c.origPort ?? -1) === sp;
    c.packetsOrig += fromOrig ? f.pktsOut : f.pktsIn;
    c.packetsResp += fromOrig ? f.pktsIn : f.pktsOut;
    c.bytesOrig += fromOrig ? f.bytesOut : f.bytesIn;
    c.bytesResp += fromOrig ? f.bytesIn : f.bytesOut;
    c.firstTs = Math.min(c.firstTs, ev.ts);
    c.lastTs = Math.max(c.lastTs, ev.ts + (f.durationUs ?? 0));
    if (f.state) c.state = f.state;
    if (f.history) c.history = f.history;
    else if (f.tcpFlags !== undefined) {
      // NetFlow's flags are an OR per direction: shown as "originator's/responder's", tcpdump letters.
      const flags = this.recordFlags.get(key) ?? [0, 0];
      flags[fromOrig ? 0 : 1] |= f.tcpFlags;
      this.recordFlags.set(key, flags);
      c.history = `${flagString(flags[0]) || '-'}/${flagString(flags[1]) || '-'}`;
    }
  }

  private count(addr: string, packets: number, bytes: number): void {
    let t = this.talkers.get(addr);
    if (!t) {
      if (this.talkers.size >= 1_000_000) return;
      t = { address: addr, packets: 0, bytes: 0 };
      this.talkers.set(addr, t);
    }
    t.packets += packets;
    t.bytes += bytes;
  }

  topTalkers(n = 10): Talker[] {
    return [...this.talkers.values()].sort((a, b) => b.packets - a.packets || b.bytes - a.bytes).slice(0, n);
  }

  topConversations(n = 10): Conversation[] {
    return [...this.flows.all().map(toConversation), ...this.recordConversations.values()]
      .sort((a, b) => b.packetsOrig + b.packetsResp - (a.packetsOrig + a.packetsResp))
      .slice(0, n);
  }
}

export function toConversation(f: Flow): Conversation {
  return {
    proto: protoName(f.proto), orig: f.orig, origPort: f.origPort, resp: f.resp, respPort: f.respPort,
    packetsOrig: f.pktsOrig, packetsResp: f.pktsResp, bytesOrig: f.bytesOrig, bytesResp: f.bytesResp,
    firstTs: f.firstTs, lastTs: f.lastTs, history: f.history, state: connState(f),
  };
}
