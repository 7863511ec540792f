import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../../analysis/events/event';
import { connState, type Flow } from '../../../analysis/events/flow-table';
import type { ArgusRecord } from '../../helpers/argus';
import type { TsharkPacket } from '../../helpers/tshark';

/**
 * Our FlowTable's TCP state (the Zeek-style conn_state that `inspect` prints,
 * with its history) against the state argus' ra prints for the same
 * conversation. The vocabularies and the rules that map them are documented
 * in flow-table.differential.test.ts.
 */

export interface StateComparison {
  matched: number;
  /** Our state -> argus state, with how often: the mapping exercised. */
  pairs: Map<string, number>;
  explained: string[];
  problems: string[];
}

/**
 * ra prints one word per record from argus' status bits, which only ever
 * accumulate: RST once a reset is seen, else FIN once a FIN is, else CON once
 * the connection carried an ACK or data, else ACC after a SYN-ACK, else REQ
 * after a SYN. Several records for one 5-tuple (port reuse, or a loopback
 * conversation argus keeps as two one-way flows) combine the same way.
 */
const PRECEDENCE = ['RST', 'FIN', 'CON', 'ACC', 'REQ', 'INT'];

/** The argus state our conn_state and history stand for. */
export function argusStateFor(state: string, history: string): string {
  const fin = /[Ff]/.test(history);
  const acked = /[AaDd]/.test(history);
  switch (state) {
    case 'REJ': case 'RSTO': case 'RSTR': case 'RSTOS0': return 'RST';
    case 'SF': case 'S2': return 'FIN';
    // Zeek keeps S0 when the originator goes on without a reply; argus moves on with its FIN or ACK.
    case 'S0': return fin ? 'FIN' : acked ? 'CON' : 'REQ';
    case 'S1': return acked ? 'CON' : 'ACC';
    default: return fin ? 'FIN' : /[Hh]/.test(history) && !acked ? 'ACC' : 'CON';
  }
}

/**
 * The flag sets argus' state machine names for a connection's first packet
 * (ArgusTcp.c, ArgusUpdateTCPState); any other set (SYN+FIN, FIN+PSH+URG:
 * scanner probes) falls to its default case, which records CON.
 */
const NAMED_FIRST = new Set([
  TCP_SYN, TCP_SYN | TCP_ACK, TCP_ACK, TCP_PSH | TCP_ACK, TCP_URG | TCP_ACK, TCP_PSH | TCP_URG | TCP_ACK,
  TCP_PSH, TCP_URG, TCP_PSH | TCP_URG, TCP_FIN, TCP_FIN | TCP_ACK,
]);

function oddFirstPacket(f: Flow): boolean {
  const flags = f.firstFlags ?? 0;
  return !(flags & TCP_RST) && !/[Rr]/.test(f.history) && !NAMED_FIRST.has(flags & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_PSH | TCP_URG));
}

const pairKey = (a: string, b: string): string => (a < b ? `${a} ${b}` : `${b} ${a}`);
const endpoint = (addr: string, port: number | undefined): string => `${addr}|${port}`;

/** Link types argus 3.0.8 does not read ("unsupported device type"). */
const ARGUS_UNREADABLE_LINKS = new Set(['NFLOG', 'LINUX_SLL2']);

export function compareTcpStates(flows: Flow[], records: ArgusRecord[], packets: TsharkPacket[], linkTypes: string[]): StateComparison {
  const out: StateComparison = { matched: 0, pairs: new Map(), explained: [], problems: [] };
  const byPair = new Map<string, ArgusRecord[]>();
  for (const r of records) {
    if (r.proto !== 'tcp') continue;
    const k = pairKey(endpoint(r.saddr, r.sport), endpoint(r.daddr, r.dport));
    byPair.set(k, [...(byPair.get(k) ?? []), r]);
  }
  // libpcap refuses a pcapng whose interfaces have different link types, and argus some link types.
  const unreadable = records.length === 0 && (linkTypes.length > 1 || linkTypes.some((l) => ARGUS_UNREADABLE_LINKS.has(l)));
  const fragmentAddrs = new Set<string>();
  for (const f of flows) {
    if (f.proto !== IPPROTO_TCP || f.origPort === undefined || f.respPort === undefined) continue;
    const name = `${f.orig}:${f.origPort} -> ${f.resp}:${f.respPort}`;
    const ours = connState(f);
    const recs = byPair.get(pairKey(endpoint(f.orig, f.origPort), endpoint(f.resp, f.respPort)));
    if (!recs) {
      const frame = f.first.packet !== undefined ? packets[f.first.packet - 1] : undefined;
      if (unreadable) out.explained.push(`${name}: argus reads nothing from this capture (link types ${linkTypes.join(', ')})`);
      else if ((frame?.section ?? 1) > 1 && records.length > 0) {
        // libpcap stops at a pcapng section in the other byte order or with another link type.
        out.explained.push(`${name}: starts in pcapng section ${frame!.section}, where argus (libpcap) stopped reading`);
      }
      else if (f.pktsOrig + f.pktsResp === 1 && frame?.cutIn === 'TCP') {
        fragmentAddrs.add(pairKey(f.orig, f.resp));
        out.explained.push(`${name}: frame ${frame.number} holds part of a TCP header (a first fragment); argus files it without ports`);
      } else out.problems.push(`${name}: ours only (${ours} ${f.history}), argus has no record`);
      continue;
    }
    byPair.delete(pairKey(endpoint(f.orig, f.origPort), endpoint(f.resp, f.respPort)));
    out.matched++;
    const theirs = recs.map((r) => r.state).sort((a, b) => PRECEDENCE.indexOf(a) - PRECEDENCE.indexOf(b))[0];
    const expected = argusStateFor(ours, f.history);
    const pair = `${ours} -> ${theirs}`;
    out.pairs.set(pair, (out.pairs.get(pair) ?? 0) + 1);
    if (theirs === expected) continue;
    if (theirs === 'CON' && oddFirstPacket(f) && (expected === 'REQ' || expected === 'FIN')) {
      out.explained.push(`${name}: ${ours} ${f.history}, first packet flags 0x${f.firstFlags?.toString(16)}: argus' default case records CON`);
      continue;
    }
    out.problems.push(`${name}: ours ${ours} ${f.history} maps to ${expected}, argus ${recs.map((r) => r.state).join('+')}`);
  }
  for (const [k, recs] of byPair) {
    const portless = recs.every((r) => !r.sport && !r.dport);
    const [a, b] = [recs[0].saddr, recs[0].daddr];
    if (portless && fragmentAddrs.has(pairKey(a, b))) out.explained.push(`${k}: argus' portless record of the fragments above`);
    else out.problems.push(`${k}: argus only (${recs.map((r) => r.state).join('+')})`);
  }
  return out;
}
