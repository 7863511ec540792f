import {
  IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type EvidenceSource, type NetEvent,
} from './event';

/**
 * A bidirectional conversation. "Originator" is whoever sent the first packet
 * we saw; for TCP a later SYN from the other side does not swap them, the
 * history simply shows it (Zeek does the same).
 */
export interface Flow {
  key: string;
  proto: number;
  orig: string;
  origPort?: number;
  resp: string;
  respPort?: number;
  firstTs: number;
  lastTs: number;
  pktsOrig: number;
  pktsResp: number;
  bytesOrig: number;
  bytesResp: number;
  /**
   * Zeek-style history: originator's events upper case, responder's lower
   * case, each letter once: S syn, H syn-ack, A ack, D data, F fin, R rst.
   */
  history: string;
  /** Where the first packet of the flow is, for quoting. */
  first: EvidenceSource;
  /** Flags of the originator's first packet (TCP). */
  firstFlags?: number;
}

/** Zeek conn_state derived from a history string (scripts/base/protocols/conn/main.zeek). */
export function connState(f: Flow): string {
  if (f.proto !== IPPROTO_TCP) return f.pktsResp > 0 ? 'SF' : 'S0';
  const h = f.history;
  const origSyn = h.includes('S');
  const respSynAck = h.includes('h');
  const origRst = h.includes('R');
  const respRst = h.includes('r');
  const fin = h.includes('F') || h.includes('f');
  if (origSyn && !respSynAck && respRst) return 'REJ';
  // A SYN the originator itself then resets is RSTOS0, not S0 (Zeek checks the resets first).
  if (origSyn && !respSynAck && !respRst && !origRst && f.pktsResp === 0) return 'S0';
  if (origSyn && respSynAck) {
    if (origRst) return 'RSTO';
    if (respRst) return 'RSTR';
    if (h.includes('F') && h.includes('f')) return 'SF';
    if (fin) return 'S2';
    return 'S1';
  }
  if (!origSyn && respSynAck) return 'SH';
  if (origRst || respRst) return 'RSTOS0';
  return 'OTH';
}

/**
 * Flows kept by default: about 0.5 KiB each, so the table stays near 200 MiB
 * however large the capture; packets of flows past the bound are counted in
 * `overflow` and reported.
 */
export const DEFAULT_MAX_FLOWS = 400_000;

export interface FlowTableOptions {
  /** Stop creating new flows past this many (memory bound); counts keep going for existing ones. */
  maxFlows?: number;
}

export class FlowTable {
  /**
   * One map, one canonical key per conversation (both directions). The key
   * is the one string built per packet; nested per-address maps were faster
   * but cost ~3x the memory per flow, and a flood has a flow per packet.
   */
  private readonly flows = new Map<string, Flow>();
  private readonly maxFlows: number;
  /** Packets that did not fit because of maxFlows. */
  overflow = 0;

  constructor(opts: FlowTableOptions = {}) {
    this.maxFlows = opts.maxFlows ?? DEFAULT_MAX_FLOWS;
  }

  get size(): number {
    return this.flows.size;
  }

  /** Account one packet event to its flow. Non-IP and flow-summary records are ignored. */
  add(ev: NetEvent): void {
    const { src, dst, proto } = ev;
    if (ev.kind !== 'packet' || src === undefined || dst === undefined || proto === undefined) return;
    const sp = ev.sport ?? -1;
    const dp = ev.dport ?? -1;
    const lowFirst = src < dst || (src === dst && sp <= dp);
    const key = lowFirst ? `${proto}|${src}|${sp}|${dst}|${dp}` : `${proto}|${dst}|${dp}|${src}|${sp}`;
    let flow = this.flows.get(key);
    if (!flow) {
      if (this.flows.size >= this.maxFlows) {
        this.overflow++;
        return;
      }
      flow = {
        key, proto, orig: src, origPort: ev.sport, resp: dst, respPort: ev.dport,
        firstTs: ev.ts, lastTs: ev.ts, pktsOrig: 0, pktsResp: 0, bytesOrig: 0, bytesResp: 0,
        history: '', first: ev.source, firstFlags: ev.tcpFlags,
      };
      this.flows.set(key, flow);
    }
    const fromOrig = flow.orig === src && (flow.origPort ?? -1) === sp;
    if (ev.ts < flow.firstTs) flow.firstTs = ev.ts;
    if (ev.ts > flow.lastTs) flow.lastTs = ev.ts;
    const len = ev.length ?? 0;
    if (fromOrig) { flow.pktsOrig++; flow.bytesOrig += len; } else { flow.pktsResp++; flow.bytesResp += len; }
    if (ev.tcpFlags !== undefined) addHistory(flow, ev.tcpFlags, ev.payloadLength ?? 0, fromOrig);
    else if ((ev.payloadLength ?? 0) > 0) addLetter(flow, fromOrig ? 'D' : 'd');
  }

  all(): Flow[] {
    return [...this.flows.values()];
  }
}

function addLetter(flow: Flow, letter: string): void {
  if (!flow.history.includes(letter)) flow.history += letter;
}

function addHistory(flow: Flow, flags: number, payload: number, fromOrig: boolean): void {
  if (flags & TCP_SYN) addLetter(flow, flags & TCP_ACK ? (fromOrig ? 'H' : 'h') : (fromOrig ? 'S' : 's'));
  else if (flags & TCP_ACK && payload === 0 && !(flags & (TCP_FIN | TCP_RST))) addLetter(flow, fromOrig ? 'A' : 'a');
  if (payload > 0) addLetter(flow, fromOrig ? 'D' : 'd');
  if (flags & TCP_FIN) addLetter(flow, fromOrig ? 'F' : 'f');
  if (flags & TCP_RST) addLetter(flow, fromOrig ? 'R' : 'r');
}
