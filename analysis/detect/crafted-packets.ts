import {
  IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type NetEvent,
} from '../events/event';
import type { DetectContext, Detector, Finding, Leaning } from './detector';
import { EvidenceSampler } from './excerpt';
import { reverseKey, strength, subjectTest, tupleKey } from './common';

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
 */
type Kind = 'same-port' | 'lone-fin' | 'syn-fin' | 'null-flags' | 'all-flags' | 'ack-no-handshake' | 'port-zero' | 'fragment-port-zero';

const KINDS: Record<Kind, { leaning: Leaning; strength: number; what: string; why: string }> = {
  'same-port': {
    leaning: 'compromise', strength: 0.4, what: 'TCP packets with the same source and destination port outside any handshake',
    why: 'Operating systems pick an ephemeral source port for outgoing connections; a source port equal to the destination port on a packet that '
      + 'opens nothing is set by hand, typically to slip through packet filters that trust "service" source ports.',
  },
  'lone-fin': {
    leaning: 'compromise', strength: 0.45, what: 'TCP FIN packets without ACK',
    why: 'Every FIN a real connection sends also carries ACK (RFC 9293 §3.10.7: after the handshake all segments carry ACK); a FIN without ACK is a probe '
      + '(nmap -sF / -sX) that closed ports answer with RST.',
  },
  'syn-fin': {
    leaning: 'compromise', strength: 0.5, what: 'TCP packets with SYN and FIN both set',
    why: 'SYN (open) and FIN (close) together are contradictory; no stack sends them. They are used to fingerprint systems and evade filters.',
  },
  'null-flags': {
    leaning: 'compromise', strength: 0.45, what: 'TCP packets with no flags at all',
    why: 'A TCP segment without any flag is invalid in every state (RFC 9293); it is the nmap NULL scan probe.',
  },
  'all-flags': {
    leaning: 'compromise', strength: 0.5, what: 'TCP packets with every flag set',
    why: 'All flags at once ("Christmas tree") is never sent by a TCP stack; it is a fingerprinting/evasion probe.',
  },
  'ack-no-handshake': {
    leaning: 'compromise', strength: 0.3, what: 'lone TCP ACKs to connections that were never opened',
    why: 'A bare ACK for a connection the other side does not know is answered with RST (RFC 9293 §3.10.7.1); sent on purpose it maps filters (nmap -sA). '
      + 'A capture that starts in the middle of a connection can show such ACKs too, hence the low weight.',
  },
  'port-zero': {
    leaning: 'compromise', strength: 0.4, what: 'TCP/UDP packets to or from port 0 (not fragments)',
    why: 'Port 0 is reserved and no service listens on it; genuine port-0 traffic is crafted (probes, broken tools).',
  },
  'fragment-port-zero': {
    leaning: 'context', strength: 0.3, what: 'non-first IP fragments, which carry no ports',
    why: 'Only the first fragment of a fragmented datagram contains the TCP/UDP header (RFC 791); the later fragments have no ports, and IDSs and flow '
      + 'tools that show ports anyway show them as port 0. "Port 0 traffic" in a report is usually this: large datagrams (DNS over EDNS0, NFS, ICMP) split in transit.',
  },
};

interface Acc {
  sampler: EvidenceSampler;
  targets: Set<string>;
  first: number;
  last: number;
}

/** argus state letters as in the seed's patched ra output: s SYN, S SYN-ACK, E established, R reset, F fin, C close. */
const ARGUS_LETTERS = /^[sSEFRC]+$/;

export const craftedPackets: Detector = {
  id: 'crafted-packets',
  detect(ctx: DetectContext): Finding[] {
    const isSubject = subjectTest(ctx);
    // What happened on each directed tuple, to tell a real connection from a lone packet.
    const tuples = new Map<string, { flagsOr: number; pkts: number; data: boolean }>();
    for (const ev of ctx.events) {
      if (ev.kind !== 'packet' || ev.proto !== IPPROTO_TCP || ev.src === undefined) continue;
      if (!isSubject(ev.src) && !isSubject(ev.dst)) continue;
      const k = tupleKey(ev);
      const t = tuples.get(k) ?? { flagsOr: 0, pkts: 0, data: false };
      t.flagsOr |= ev.tcpFlags ?? 0;
      t.pkts++;
      if ((ev.payloadLength ?? 0) > 0) t.data = true;
      tuples.set(k, t);
    }

    const acc = new Map<string, Acc>();
    const add = (kind: Kind, ev: NetEvent): void => {
      const key = `${ev.src}|${kind}`;
      let a = acc.get(key);
      if (!a) { a = { sampler: new EvidenceSampler(4, 64), targets: new Set(), first: ev.ts, last: ev.ts }; acc.set(key, a); }
      a.sampler.add(ev);
      if (ev.dst) a.targets.add(ev.dst);
      a.last = ev.ts;
    };

    for (const ev of ctx.events) {
      if (!isSubject(ev.src)) continue;
      if (ev.kind === 'flow' && ev.flow) {
        flowRecord(ev, add);
        continue;
      }
      if (ev.kind !== 'packet') continue;
      if (ev.fragment && ev.fragment.offset > 0) {
        if (ev.sport === undefined && ev.dport === undefined) add('fragment-port-zero', ev);
        continue;
      }
      if ((ev.proto === IPPROTO_TCP || ev.proto === IPPROTO_UDP) && (ev.dport === 0 || ev.sport === 0)) {
        add('port-zero', ev);
        continue;
      }
      if (ev.proto !== IPPROTO_TCP || ev.tcpFlags === undefined) continue;
      const f = ev.tcpFlags & 0x3f;
      const fwd = tuples.get(tupleKey(ev));
      const rev = tuples.get(reverseKey(ev));
      const handshake = ((fwd?.flagsOr ?? 0) | (rev?.flagsOr ?? 0)) & TCP_SYN;
      const talked = fwd?.data || rev?.data;
      if (f === 0x3f) add('all-flags', ev);
      else if ((f & (TCP_SYN | TCP_FIN)) === (TCP_SYN | TCP_FIN)) add('syn-fin', ev);
      else if (f === 0) add('null-flags', ev);
      else if (f & TCP_FIN && !(f & (TCP_ACK | TCP_SYN | TCP_RST))) add('lone-fin', ev);
      else if (f === TCP_ACK && !handshake && !talked && (fwd?.pkts ?? 0) <= 2 && (!rev || (rev.flagsOr & ~(TCP_RST | TCP_ACK)) === 0)) {
        add('ack-no-handshake', ev);
      }
      if (ev.sport !== undefined && ev.sport === ev.dport && ev.sport > 0 && !handshake && !talked) add('same-port', ev);
    }

    const findings: Finding[] = [];
    for (const [key, a] of acc) {
      const [src, kindText] = key.split('|');
      const kind = kindText as Kind;
      const k = KINDS[kind];
      const n = a.sampler.count;
      findings.push({
        id: `crafted-${kind}`, detector: 'crafted-packets', leaning: k.leaning,
        strength: strength(k.strength + (k.leaning === 'compromise' ? Math.min(0.15, n / 500) : 0)),
        summary: kind === 'fragment-port-zero'
          ? `${n} packets from ${src} are non-first IP fragments: they have no ports, which an IDS shows as "port 0".`
          : `${src} sent ${n} ${k.what} to ${a.targets.size} host${a.targets.size === 1 ? '' : 's'}.`,
        explanation: k.why,
        evidence: a.sampler.refs(),
        facts: {
          source: src, kind, packets: n, targetCount: a.targets.size, targetSample: [...a.targets].slice(0, 10),
          spanSeconds: Math.round((a.last - a.first) / 1000) / 1000,
          ...(kind === 'fragment-port-zero'
            ? { note: 'non-first fragments carry no TCP/UDP header; IDSs show their ports as 0 (RFC 791; SANS ISC diary 2005-06-03)' }
            : {}),
        },
      });
    }
    return findings;
  },
};

/** ra -Z b: the TCP flags each side sent, "<source>_<destination>" ("F_RA": a lone FIN answered by RST-ACK), "*" where the column was cut. */
const ARGUS_FLAGS = /^([FSRPAU78]*)(?:_[FSRPAU78]*)?\*?$/;

/** Flow summaries (argus, Zeek conn.log) from our host: same ports, and argus states of lone FIN / ACK without handshake. */
function flowRecord(ev: NetEvent, add: (kind: Kind, ev: NetEvent) => void): void {
  if (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP) return;
  if (ev.dport === 0 || ev.sport === 0) { add('port-zero', ev); return; }
  if (ev.proto !== IPPROTO_TCP) return;
  const state = ev.flow?.state ?? '';
  const letters = ARGUS_LETTERS.test(state);
  // The flags our host sent, when ra -Z b printed them; a SYN among them means it opened a connection.
  const sent = !letters && /[_*]/.test(state) ? ARGUS_FLAGS.exec(state)?.[1] : undefined;
  const noHandshake = letters ? !state.includes('s') && !state.includes('S') : sent !== undefined && !sent.includes('S');
  if (ev.sport !== undefined && ev.sport === ev.dport && (noHandshake || (ev.flow!.pktsOut <= 2 && ev.flow!.bytesIn === 0))) add('same-port', ev);
  if (!noHandshake) return;
  if (sent !== undefined) {
    if (sent.includes('F') && !/[AR]/.test(sent)) add('lone-fin', ev);
    else if (sent === '' && ev.flow!.pktsOut > 0) add('null-flags', ev);
    else if (sent === 'A' && ev.flow!.pktsOut <= 2) add('ack-no-handshake', ev);
  } else if (state.startsWith('F')) add('lone-fin', ev);
  else if (state.startsWith('E')) add('ack-no-handshake', ev);
}
