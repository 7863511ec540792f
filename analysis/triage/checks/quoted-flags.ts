import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, IPPROTO_TCP, flagWords, type NetEvent } from '../../events/event';
import type { Finding } from '../../detect/detector';
import { ref } from '../../detect/excerpt';
import type { TriageCheck, TriageContext } from '../context';

/** Distinct ports (or hosts) a run of bare SYNs must reach before it is a scan. */
const SCAN_MIN = 5;

const has = (e: NetEvent, bits: number): boolean => ((e.tcpFlags ?? 0) & bits) === bits;
const isSynAck = (e: NetEvent): boolean => has(e, TCP_SYN | TCP_ACK);
const isBareSyn = (e: NetEvent): boolean => has(e, TCP_SYN) && !has(e, TCP_ACK);
const isRst = (e: NetEvent): boolean => has(e, TCP_RST);
const isAckOnly = (e: NetEvent): boolean => has(e, TCP_ACK) && !has(e, TCP_SYN) && !has(e, TCP_RST);

/**
 * The TCP flags of the complainant's own lines, when they show them
 * (netfilter LOG, tcpdump text, argus states): SYN-ACKs and RSTs from us are
 * answers (backscatter, or a server refusing), ACK/data/FIN-ACK are packets
 * of established sessions (legitimate), bare SYNs from us to many ports or
 * hosts are a scan.
 */
export const quotedFlags: TriageCheck = {
  id: 'quoted-flags',
  check(ctx: TriageContext): Finding[] {
    const tcp = ctx.fromAccused.filter((e) => e.proto === IPPROTO_TCP && e.tcpFlags !== undefined);
    if (!tcp.length) return [];
    const out: Finding[] = [];
    const base = { detector: 'first-look/quoted-flags' };
    const synAcks = tcp.filter(isSynAck);
    const rsts = tcp.filter((e) => isRst(e) && !isSynAck(e));
    const acks = tcp.filter((e) => isAckOnly(e));
    const syns = tcp.filter(isBareSyn);
    const facts = { synAck: synAcks.length, rst: rsts.length, ackOrData: acks.length, syn: syns.length, quotedTcp: tcp.length };
    if (synAcks.length) {
      const perPort = new Map<string, number>();
      for (const e of synAcks) { const k = `${e.dst}:${e.dport}`; perPort.set(k, (perPort.get(k) ?? 0) + 1); }
      const repeated = [...perPort.values()].filter((n) => n > 1).length;
      out.push({
        ...base, id: 'first-look-quoted-synack', leaning: 'backscatter', strength: repeated ? 0.6 : 0.45,
        summary: `The complainant's own lines show SYN-ACKs from us (${synAcks.length})${repeated ? `, retransmitted to ${repeated} of the same ports: handshakes nobody completed` : ''}: answers to SYNs that carried the complainant's address, not a scan (a scan sends SYNs).`,
        evidence: synAcks.slice(0, 8).map(ref), facts: { ...facts, retransmittedTo: repeated },
      });
    }
    if (rsts.length) {
      out.push({
        ...base, id: 'first-look-quoted-rst', leaning: 'backscatter', strength: 0.45,
        summary: `The complainant's own lines show RSTs from us (${rsts.length}): refusals of packets that reached us with the complainant's address as their source, not probes.`,
        evidence: rsts.slice(0, 8).map(ref), facts,
      });
    }
    if (acks.length) {
      const fins = acks.filter((e) => has(e, TCP_FIN)).length;
      out.push({
        ...base, id: 'first-look-quoted-established', leaning: 'legitimate', strength: 0.45,
        summary: `The complainant's own lines show ${acks.length} packets from us with ACK set (${[...new Set(acks.map((e) => flagWords(e.tcpFlags)))].slice(0, 4).join(', ')}${fins ? `, ${fins} closing` : ''}): packets of sessions already established, which scan detectors are meant to ignore.`,
        evidence: acks.slice(0, 8).map(ref), facts,
      });
    }
    if (syns.length) {
      const ports = new Set(syns.map((e) => e.dport));
      const hosts = new Set(syns.map((e) => e.dst));
      const scan = ports.size >= SCAN_MIN || hosts.size >= SCAN_MIN;
      out.push({
        ...base, id: 'first-look-quoted-syn', leaning: 'compromise', strength: scan ? 0.55 : 0.25,
        summary: scan
          ? `The complainant's own lines show our host sending bare SYNs to ${ports.size} ports on ${hosts.size} host(s): connection attempts from us, the shape of a scan.`
          : `The complainant's own lines show ${syns.length} SYN(s) from our host: connection attempts, too few to call a scan.`,
        evidence: syns.slice(0, 8).map(ref), facts: { ...facts, synPorts: ports.size, synHosts: hosts.size },
      });
    }
    return out;
  },
};
