import { protoName, type NetEvent } from './event';
import { connState, FlowTable, type Flow } from './flow-table';

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

  add(ev: NetEvent): void {
    this.kinds.set(ev.kind, (this.kinds.get(ev.kind) ?? 0) + 1);
    if (ev.src !== undefined) this.count(ev.src, ev.length ?? 0);
    this.flows.add(ev);
  }

  private count(addr: string, bytes: number): void {
    let t = this.talkers.get(addr);
    if (!t) {
      if (this.talkers.size >= 1_000_000) return;
      t = { address: addr, packets: 0, bytes: 0 };
      this.talkers.set(addr, t);
    }
    t.packets++;
    t.bytes += bytes;
  }

  topTalkers(n = 10): Talker[] {
    return [...this.talkers.values()].sort((a, b) => b.packets - a.packets || b.bytes - a.bytes).slice(0, n);
  }

  topConversations(n = 10): Conversation[] {
    return this.flows.all()
      .sort((a, b) => b.pktsOrig + b.pktsResp - (a.pktsOrig + a.pktsResp))
      .slice(0, n)
      .map(toConversation);
  }
}

export function toConversation(f: Flow): Conversation {
  return {
    proto: protoName(f.proto), orig: f.orig, origPort: f.origPort, resp: f.resp, respPort: f.respPort,
    packetsOrig: f.pktsOrig, packetsResp: f.pktsResp, bytesOrig: f.bytesOrig, bytesResp: f.bytesResp,
    firstTs: f.firstTs, lastTs: f.lastTs, history: f.history, state: connState(f),
  };
}
