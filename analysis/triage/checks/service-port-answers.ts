import { TCP_ACK, TCP_RST, TCP_SYN, type NetEvent } from '../../events/event';
import type { Finding } from '../../detect/detector';
import { ref } from '../../detect/excerpt';
import { protoWord, type TriageCheck, type TriageContext } from '../context';

/** So many destination ports from one server port is a SYN flood's random forged ports, not a NAT's few clients. */
export const MANY_PORTS = 100;
/** A NAT with several clients shows some tens of ports in a sensor's window (seed 001: 21). */
const FEW_PORTS = 30;

const onlyAnswerFlags = (e: NetEvent): boolean =>
  e.tcpFlags !== undefined && ((e.tcpFlags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) || (e.tcpFlags & TCP_RST) !== 0);

/**
 * Traffic FROM one of our service ports (80, 443, 53, 25 ...) is our server
 * answering, not probing: a client's session (many clients behind one NAT
 * address look like a port scan, seed 001), or replies to SYNs forged with the
 * complainant's address (backscatter, seed 001's SYN flood). How many ports,
 * and for TCP the flags, tell which is more likely before any evidence.
 */
export const servicePortAnswers: TriageCheck = {
  id: 'service-port-answers',
  check(ctx: TriageContext): Finding[] {
    const c = ctx.complaint;
    const out: Finding[] = [];
    for (const addr of ctx.accused) {
      const lines = ctx.fromAccused.filter((e) => e.src === addr);
      const statedProto = c.protocol === 'tcp' || c.protocol === 'udp' ? c.protocol : undefined;
      const sports = new Set<number>([...lines.map((e) => e.sport).filter((p): p is number => p !== undefined), ...c.ports.source]);
      const service = [...sports].filter((p) => {
        const proto = protoWord(lines.find((e) => e.sport === p)?.proto) ?? statedProto;
        return ctx.isServicePort(addr, p, proto);
      }).sort((a, b) => a - b);
      if (!service.length) continue;
      const quoted = lines.filter((e) => e.sport !== undefined && service.includes(e.sport));
      const proto = protoWord(quoted.find((e) => e.proto !== undefined)?.proto) ?? statedProto;
      const dports = new Set(quoted.map((e) => e.dport).filter((p) => p !== undefined));
      const portCount = Math.max(dports.size, c.claimedCount ?? 0);
      const role = ctx.host(addr).role;
      const who = role ? `our ${role} ${addr}` : `our host ${addr}`;
      const portText = service.map((p) => (proto ? `${p}/${proto}` : String(p))).join(', ');
      const base = {
        detector: 'first-look/service-port-answers',
        evidence: quoted.slice(0, 8).map(ref),
        facts: { address: addr, servicePorts: service, destinationPorts: portCount, quotedLines: quoted.length, fromInventory: !!role },
      };
      const flagged = quoted.filter((e) => e.tcpFlags !== undefined);
      const answersOnly = flagged.length > 0 && flagged.every(onlyAnswerFlags);
      if (proto !== 'udp' && portCount >= MANY_PORTS) {
        out.push({
          ...base, id: 'first-look-service-port-backscatter', leaning: 'backscatter', strength: 0.55,
          summary: `The complained packets come from ${who}'s service port ${portText} to ${portCount} ports: a server answers, it does not scan, and answers to so many random ports are what a SYN flood forged with the complainant's address provokes (backscatter).`,
        });
      } else if (proto !== 'udp' && portCount >= FEW_PORTS) {
        out.push({
          ...base, id: 'first-look-service-port-answers', leaning: 'backscatter', strength: 0.3,
          summary: `The complained packets come from ${who}'s service port ${portText} to ${portCount} ports: answers, either to SYNs forged with the complainant's address or to many clients behind one address.`,
        });
        out.push({ ...base, id: 'first-look-service-port-answers', leaning: 'legitimate', strength: 0.3, summary: `Packets from service port ${portText} are our server's answers to clients, not probes.` });
      } else {
        out.push({
          ...base, id: 'first-look-service-port-answers', leaning: 'legitimate', strength: answersOnly ? 0.25 : quoted.length ? 0.5 : 0.45,
          summary: proto === 'udp'
            ? `The complained packets come from ${who}'s service port ${portText}: these are answers to queries sent to it (if the complainant never asked, their address was forged in the queries).`
            : `The complained packets come from ${who}'s service port ${portText}${portCount ? ` to ${portCount} ports` : ''}: our server answering clients, not probing; several clients behind one NAT address each use their own port, which a sensor can count as a port scan.`,
        });
      }
    }
    return out;
  },
};
