import { IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, type NetEvent } from '../events/event';
import { dnsMessage, httpRequest, httpResponse, isTlsClientHello } from './app-data';
import { unreachableSourceReason } from '../util/net';
import type { DetectContext, Detector, Finding } from './detector';
import { ref, sample } from './excerpt';
import { flowSessions, type FlowSession } from './flow-sessions';
import { isPacket, isRst, isSyn, isSynAck } from './common';
import { judgeJoined, type JoinedVerdict } from './joined-connections';
import { inventoryContext } from '../triage/inventory';

interface Session {
  clientPort: number;
  serverPort: number;
  proto: number;
  opened: NetEvent;
  handshake: boolean;
  clientData: NetEvent[];
  ourPackets: NetEvent[];
  /** One of ourPackets is a SYN-ACK: the client's next ACK completes the handshake. */
  synAcked: boolean;
  /**
   * Already open when the evidence begins (a capture, or a slice of one, cut
   * after its SYN): counted when joined-connections.ts shows the client opened
   * it, with `proof` the client's segment acknowledging our sequence numbers.
   */
  joined?: JoinedVerdict;
}

/**
 * Our host answering sessions the complainant's side opened (seed 001, the
 * explanation that held): a web server sends from port 80 to many high ports
 * of one address because many clients behind that address's NAT, or one
 * client with parallel downloads, connected to it. Who sent the SYN (or the
 * first UDP datagram) and what they asked for settles it.
 */
export const serverAnswering: Detector = {
  id: 'server-answering',
  detect(ctx: DetectContext): Finding[] {
    const findings: Finding[] = [];
    const pkts = ctx.events.filter((e) => isPacket(e) && (e.proto === IPPROTO_TCP || e.proto === IPPROTO_UDP) && e.sport !== undefined);
    const flows = flowSessions(ctx.events);
    // An address no network can route is nobody's server: the impossible-source detector speaks for it.
    for (const server of ctx.accused.filter((a) => !unreachableSourceReason(a, ctx.targets))) {
      const host = inventoryContext(ctx.inventory, server);
      const serves = (port: number): boolean => host.serves(port, 'tcp');
      for (const client of ctx.targets) {
        const between = pkts.filter((e) => (e.src === server && e.dst === client) || (e.src === client && e.dst === server));
        const ours = between.filter((e) => e.src === server);
        if (ours.length === 0) continue;
        // A TCP session counts once the client completed the handshake or sent data: a forged SYN
        // never does (that is backscatter, the flood detector's case); a UDP one once the client asked.
        const sessions = sessionsOpenedBy(client, server, between, serves)
          .filter((s) => s.joined || (s.proto === IPPROTO_TCP ? s.handshake || s.clientData.length > 0 : s.clientData.length > 0 || s.ourPackets.length > 0));
        const answered = sessions.flatMap((s) => s.ourPackets);
        if (answered.length === 0) continue;
        findings.push(finding(server, client, sessions, ours, answered));
      }
      // Flow records (argus, Zeek) say the same with one line per conversation.
      for (const client of ctx.targets) {
        if (findings.some((f) => f.facts?.server === server && f.facts?.client === client)) continue;
        const f = flowFinding(server, client, flows);
        if (f) findings.push(f);
      }
    }
    return findings;
  },
};

/**
 * Sessions the client opened toward the server: TCP SYN from the client, or
 * its first UDP datagram; and TCP connections already open when the evidence
 * begins that joined-connections.ts shows the client opened.
 */
function sessionsOpenedBy(client: string, server: string, between: NetEvent[], serves: (port: number) => boolean): Session[] {
  const sessions = new Map<number, Session>();
  const serverFirst = new Set<number>();
  // TCP packets of tuples first seen after their opening, until a SYN of the client's starts a session there.
  const midFlow = new Map<number, NetEvent[]>();
  for (const e of between) {
    const fromClient = e.src === client;
    const key = fromClient ? tupleKey(e.proto!, e.sport, e.dport) : tupleKey(e.proto!, e.dport, e.sport);
    let s = sessions.get(key);
    if (!s) {
      if (serverFirst.has(key)) continue;
      const opens = fromClient && (e.proto === IPPROTO_UDP || isSyn(e));
      if (!opens) {
        // Our host spoke first on this tuple: not an answer to the client.
        if (!fromClient && (e.proto === IPPROTO_UDP || isSyn(e))) serverFirst.add(key);
        else if (e.proto === IPPROTO_TCP) {
          const seen = midFlow.get(key);
          if (seen) seen.push(e);
          else midFlow.set(key, [e]);
        }
        continue;
      }
      s = { clientPort: e.sport!, serverPort: e.dport!, proto: e.proto!, opened: e, handshake: false, clientData: [], ourPackets: [], synAcked: false };
      sessions.set(key, s);
    }
    if (fromClient) {
      if ((e.payloadLength ?? 0) > 0) s.clientData.push(e);
      // The third packet of the handshake: an ACK (not a RST, which aborts it) after our SYN-ACK.
      if (e.proto === IPPROTO_TCP && !isSyn(e) && !isRst(e) && ((e.tcpFlags ?? 0) & TCP_ACK) && s.synAcked) s.handshake = true;
    } else {
      s.ourPackets.push(e);
      if (isSynAck(e)) s.synAcked = true;
    }
  }
  const joined: Session[] = [];
  for (const [key, packets] of midFlow) {
    if (serverFirst.has(key)) continue;
    const first = packets[0];
    const [clientPort, serverPort] = first.src === client ? [first.sport!, first.dport!] : [first.dport!, first.sport!];
    const verdict = judgeJoined(packets, client, serverPort, clientPort, serves);
    if (!verdict) continue;
    joined.push({
      clientPort, serverPort, proto: IPPROTO_TCP, opened: first, handshake: false, joined: verdict, synAcked: false,
      clientData: packets.filter((e) => e.src === client && (e.payloadLength ?? 0) > 0),
      ourPackets: packets.filter((e) => e.src !== client),
    });
  }
  return [...sessions.values(), ...joined];
}

/** A session's protocol and ports (client's first) as one number; an absent port is 65536, apart from every real one. */
function tupleKey(proto: number, clientPort: number | undefined, serverPort: number | undefined): number {
  return (proto * 65537 + (clientPort ?? 65536)) * 65537 + (serverPort ?? 65536);
}

function finding(server: string, client: string, sessions: Session[], ours: NetEvent[], answered: NetEvent[]): Finding {
  const tcp = sessions.filter((s) => s.proto === IPPROTO_TCP);
  const udp = sessions.filter((s) => s.proto === IPPROTO_UDP);
  const seenOpening = tcp.filter((s) => !s.joined);
  const joined = tcp.filter((s) => s.joined);
  const handshakes = seenOpening.filter((s) => s.handshake).length;
  const servicePorts = [...new Set(sessions.map((s) => s.serverPort))];
  const clientPorts = new Set(sessions.map((s) => s.clientPort));
  const requests = sessions.flatMap((s) => s.clientData.map((e) => ({ e, http: httpRequest(e.payload) }))).filter((r) => r.http);
  const agents = new Set(requests.map((r) => r.http!.userAgent).filter(Boolean));
  const responses = answered.map((e) => httpResponse(e.payload)).filter(Boolean);
  const dnsQueries = udp.flatMap((s) => s.clientData.map((e) => dnsMessage(e.payload)).filter((m) => m && !m.response));
  const tls = sessions.some((s) => s.clientData.some((e) => isTlsClientHello(e.payload)));
  const span = (Math.max(...answered.map((e) => e.ts)) - Math.min(...sessions.map((s) => s.opened.ts))) / 1e6;
  const share = answered.length / ours.length;

  const parts: string[] = [];
  if (seenOpening.length) parts.push(`${client} opened ${seenOpening.length} TCP connections to ${server} port ${portsOf(seenOpening)} (${handshakes} completed the three-way handshake)`);
  if (joined.length) parts.push(joinedPart(client, server, joined, seenOpening.length > 0));
  if (udp.length) parts.push(`${client} sent the first datagram of ${udp.length} UDP exchanges to ${server} port ${portsOf(udp)}`);
  const app: string[] = [];
  if (requests.length) app.push(`${requests.length} HTTP requests (e.g. "${requests[0].http!.method} ${requests[0].http!.target}")${agents.size ? ` with ${agents.size} different User-Agent${agents.size > 1 ? 's' : ''}` : ''}`);
  if (responses.length) app.push(`our replies were HTTP responses ("${responses[0]}")`);
  if (dnsQueries.length) app.push(`${dnsQueries.length} DNS queries (e.g. "${dnsQueries[0]!.name ?? '?'}")`);
  if (tls) app.push('TLS ClientHello messages from their side');

  const natLikely = clientPorts.size >= 5;
  let strength = 0.3 + 0.4 * share;
  // The bonus is for handshakes seen; a connection joined after its opening earns none, its proof is in `joined`.
  if (seenOpening.length && handshakes / seenOpening.length > 0.8) strength += 0.15;
  if (app.length) strength += 0.1;
  return {
    id: 'server-answering-clients',
    detector: 'server-answering',
    leaning: 'legitimate',
    strength: Math.min(0.95, strength),
    summary: `${Math.round(share * 100)}% of the packets ${server} sent to ${client} answer sessions that ${client} opened: ${parts.join('; ')}, from ${clientPorts.size} different client ports in ${span.toFixed(1)} s.`,
    explanation: [
      `Our packets come from our service port${servicePorts.length > 1 ? 's' : ''} ${servicePorts.join(', ')} and go to the client ports your side chose when it connected: that is a server replying, not a scan.`,
      joined.length ? joinedExplanation(client, joined) : '',
      natLikely ? `${clientPorts.size} client ports behind the single address ${client} is what many clients behind NAT (or one client downloading in parallel) look like from outside; an IDS that counts destination ports per source sees our replies to all of them as a "port scan" from port ${servicePorts[0]}.` : '',
      app.length ? `Application data confirms it: ${app.join('; ')}.` : '',
    ].filter(Boolean).join(' '),
    evidence: [
      ...sample(sessions.map((s) => s.joined?.proof ?? s.opened), 4).map(ref),
      ...sample(requests.map((r) => r.e), 3).map(ref),
      ...sample(answered, 4).map(ref),
    ],
    facts: {
      server, client, sessions: sessions.length, tcpSessions: tcp.length, udpSessions: udp.length, handshakes, joinedMidFlow: joined.length,
      clientPorts: clientPorts.size, servicePorts, httpRequests: requests.length, userAgents: [...agents] as string[],
      dnsQueries: dnsQueries.length, answeredShare: Math.round(share * 100), natLikely,
    },
  };
}

const portsOf = (sessions: Session[]): string => [...new Set(sessions.map((s) => s.serverPort))].join(', ');

function joinedPart(client: string, server: string, joined: Session[], more: boolean): string {
  const n = joined.length;
  return `${n}${more ? ' more' : ''} TCP connection${n > 1 ? 's' : ''} from ${client} to ${server} port ${portsOf(joined)} ${n > 1 ? 'were' : 'was'} already open when our evidence begins, and ${client} acknowledged our segments on ${n > 1 ? 'each' : 'it'}`;
}

/** Why a connection whose opening we did not see still counts as one the client opened (joined-connections.ts). */
function joinedExplanation(client: string, joined: Session[]): string {
  const n = joined.length;
  const bySynAck = joined.filter((s) => s.joined!.by === 'syn-ack').length;
  const byPorts = n - bySynAck;
  const which = (k: number): string => (k === n ? (n > 1 ? 'each' : 'it') : `${k} of them`);
  const how: string[] = [];
  if (bySynAck) how.push(`${which(bySynAck)} began with our SYN-ACK to its SYN`);
  if (byPorts) how.push(`${which(byPorts)} ${byPorts > 1 ? 'run' : 'runs'} between our service port and a port of theirs at or above 1024, the range a client's stack picks its port from (RFC 6056)`);
  return `For the ${n > 1 ? `${n} connections` : 'connection'} open before our evidence begins, ${client} acknowledged the sequence numbers of our segments, which only the other end of an established connection knows (a port without one answers with a reset), and ${how.join('; ')}.`;
}

/** The same conclusion from flow records: the client's conversations with our service that completed. */
function flowFinding(server: string, client: string, flows: FlowSession[]): Finding | undefined {
  const theirs = flows.filter((s) => s.client === client && s.server === server);
  const served = theirs.filter((s) => (s.proto === IPPROTO_TCP ? s.established : s.answered !== false));
  if (served.length === 0) return undefined;
  const ours = flows.filter((s) => s.client === server && s.server === client);
  const share = served.length / (theirs.length + ours.length);
  const servicePorts = [...new Set(served.map((s) => s.serverPort).filter((p): p is number => p !== undefined))];
  const clientPorts = new Set(served.map((s) => s.clientPort));
  const tcp = served.filter((s) => s.proto === IPPROTO_TCP).length;
  const times = served.map((s) => s.ev.ts);
  const span = (Math.max(...times) - Math.min(...times)) / 1e6;
  const natLikely = clientPorts.size >= 5;
  return {
    id: 'server-answering-clients',
    detector: 'server-answering',
    leaning: 'legitimate',
    strength: Math.min(0.9, 0.35 + 0.45 * share + (tcp === served.length && tcp > 0 ? 0.05 : 0)),
    summary: `${client} opened ${served.length} conversations with ${server} port ${servicePorts.join(', ')} that our flow records show as ${tcp ? 'established (the TCP handshake completed)' : 'answered'}, from ${clientPorts.size} different client ports in ${span.toFixed(1)} s; ${ours.length} conversations were started by ${server}.`,
    explanation: [
      `Our flow records name ${client} as the side that started each of these conversations, to our service port${servicePorts.length > 1 ? 's' : ''} ${servicePorts.join(', ')}: our packets to its high ports are a server's replies, not a scan.`,
      natLikely ? `${clientPorts.size} client ports behind the single address ${client} is what many clients behind NAT (or one client downloading in parallel) look like from outside; an IDS that counts destination ports per source sees our replies to all of them as a "port scan" from port ${servicePorts[0]}.` : '',
    ].filter(Boolean).join(' '),
    evidence: sample(served.map((s) => s.ev), 8).map(ref),
    facts: {
      server, client, sessions: served.length, tcpSessions: tcp, clientPorts: clientPorts.size, servicePorts,
      startedByUs: ours.length, answeredShare: Math.round(share * 100), natLikely, fromFlowRecords: true,
    },
  };
}
