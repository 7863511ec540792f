import type { Complaint } from '../complaint/complaint';
import type { Finding } from '../detect/detector';
import { alarmsMatching, alarmsOf, claimedUnit } from '../sensors/alarms';
import { SCANLOGD_WEIGHT_THRESHOLD } from '../sensors/scanlogd';
import type { Verdict } from '../verdict/weigh';

/**
 * The complainant's sensor, and why it fired on our packets. Their sensor
 * did fire: the reply never argues that it could not have. It says what the
 * sensor counts and which of our packets it counted (replies to their own
 * clients, answers to forged packets), from the findings' facts and each
 * sensor's thresholds (analysis/sensors/). The replays of other sensors
 * (analysis/detect/ids-replay.ts) stay in the findings and the internal notes.
 */
export type SensorKind = 'snort' | 'suricata' | 'scanlogd' | 'zeek' | 'psad' | 'portsentry' | 'fail2ban' | 'firewall' | 'feed' | 'unnamed';

export interface ComplainantSensor {
  kind: SensorKind;
  /** How the reply names it: "Snort (sfPortscan)", "scanlogd", "your IDS". */
  name: string;
}

const NAMED: Record<string, ComplainantSensor> = {
  snort: { kind: 'snort', name: 'Snort' },
  ipcop: { kind: 'snort', name: 'IPCop (its Snort sfPortscan)' },
  suricata: { kind: 'suricata', name: 'Suricata' },
  scanlogd: { kind: 'scanlogd', name: 'scanlogd' },
  zeek: { kind: 'zeek', name: 'Zeek' },
  'zeek-conn': { kind: 'zeek', name: 'Zeek' },
  psad: { kind: 'psad', name: 'psad' },
  portsentry: { kind: 'portsentry', name: 'PortSentry' },
  fail2ban: { kind: 'fail2ban', name: 'fail2ban' },
  netfilter: { kind: 'firewall', name: 'firewall' },
  csv: { kind: 'feed', name: 'report feed' },
};

/** Which sensor reported it: the complaint's word for it, else what its quoted lines or report look like. */
export function complainantSensor(c: Complaint): ComplainantSensor {
  const word = c.sensor?.toLowerCase();
  const named = word ? NAMED[word] : undefined;
  const portscanAlert = c.quotedEvents.some((e) => /^122:/.test(e.rule ?? '') || /\(portscan\)/i.test(e.message ?? e.raw ?? ''))
    || /sfportscan|\(portscan\)/i.test(c.text);
  if (named?.kind === 'snort' && word === 'snort' && portscanAlert) return { kind: 'snort', name: 'Snort (sfPortscan)' };
  if (named) return named;
  if (c.quotedEvents.some((e) => /scanlogd/i.test(e.raw ?? ''))) return NAMED.scanlogd;
  if (portscanAlert) return { kind: 'snort', name: 'Snort (sfPortscan)' };
  if (c.quotedEvents.some((e) => e.flow?.history !== undefined)) return NAMED.zeek;
  if (c.reportFields?.rows !== undefined || /^(?:arf|xarf)/.test(c.format)) return NAMED.csv;
  return { kind: 'unnamed', name: 'IDS' };
}

type Facts = NonNullable<Finding['facts']>;
const num = (f: Facts | undefined, k: string): number | undefined => (typeof f?.[k] === 'number' ? f[k] as number : undefined);
const list = (f: Facts | undefined, k: string): string[] => (Array.isArray(f?.[k]) ? (f![k] as Array<string | number>).map(String) : []);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Our packets to the complainant, in words, and what a sensor would make of them. */
interface OurPackets {
  /** "replies from port 80 to 26 client ports of 192.0.2.10 within 6.0 s". */
  words: string;
  /** Every packet we sent them is of this kind (so "those are what it counted" holds). */
  all: boolean;
  /** The packets carry ACK (TCP answers), which some sensors skip. */
  acked: boolean;
  servicePort?: number;
  /** The sensor never saw the packets that opened these exchanges (they were forged, not sent from their side). */
  forged: boolean;
}

function describeOurs(verdict: Verdict, findings: Finding[]): OurPackets | undefined {
  const by = (id: string): Finding | undefined => findings.filter((f) => f.id === id).sort((a, b) => b.strength - a.strength)[0];
  const count = by('ids-replay-port-count')?.facts;
  const within = num(count, 'windowSeconds') !== undefined ? ` within ${num(count, 'windowSeconds')!.toFixed(1)} s` : '';
  if (verdict === 'backscatter') {
    const tcp = by('backscatter-to-complainant')?.facts;
    if (tcp) {
      const flags = list(tcp, 'flags');
      const kinds = flags.length ? flags.join('/') : 'SYN-ACK or RST';
      const port = num(tcp, 'servicePorts') ?? Number(list(tcp, 'servicePorts')[0]);
      const answers = num(tcp, 'answers') ?? 0;
      return {
        words: `${answers} ${kinds} answers from port ${port} to ${plural(num(tcp, 'distinctPorts') ?? 0, 'port')} of ${tcp.target}, each answering a SYN that carried ${tcp.target}'s address as its source`,
        all: tcp.fromFlowRecords !== true, acked: true, servicePort: Number.isFinite(port) ? port : undefined, forged: true,
      };
    }
    const icmp = by('icmp-backscatter')?.facts;
    if (icmp) {
      const quoted = num(icmp, 'quotedFromTarget') ?? 0;
      return {
        words: `${num(icmp, 'answers')} ICMP ${list(icmp, 'types').join('/')} messages to ${icmp.target}${quoted ? `, ${quoted} of them reporting a packet that carried ${icmp.target}'s address as its source` : ''}`,
        all: true, acked: false, forged: true,
      };
    }
  }
  if (verdict === 'legitimate') {
    const served = by('server-answering-clients')?.facts;
    if (served) {
      const port = Number(list(served, 'servicePorts')[0]);
      const ports = num(count, 'distinctPorts') ?? num(served, 'clientPorts') ?? 0;
      const udp = (num(served, 'tcpSessions') ?? 0) === 0 && (num(served, 'udpSessions') ?? 0) > 0;
      return {
        words: `${udp ? 'answers' : 'replies'} from port ${port} to ${plural(ports, 'client port')} of ${served.client}${count ? within : ''}, in ${udp ? 'exchanges' : 'connections'} that ${served.client} opened`,
        all: num(served, 'answeredShare') === 100, acked: !udp, servicePort: Number.isFinite(port) ? port : undefined, forged: false,
      };
    }
  }
  if (count && verdict !== 'compromise') {
    const acks = num(count, 'replyPackets') ?? 0;
    return { words: `packets to ${plural(num(count, 'distinctPorts') ?? 0, 'port')} of ${count.target}${within}${acks ? `, ${acks} of them replies with ACK set` : ''}`, all: false, acked: acks > 0, forged: false };
  }
  return undefined;
}

/** "(the 21 ports you quote is scanlogd's alarm threshold ...)": a stated count equal to the sensor's default threshold. */
function thresholdNote(c: Complaint, s: ComplainantSensor): string {
  const unit = c.claimedCount === undefined ? undefined : claimedUnit(`${c.subject ?? ''}\n${c.text}`, c.claimedCount);
  const hit = alarmsMatching(c.claimedCount, unit, s.kind === 'unnamed' || s.kind === 'feed' || s.kind === 'firewall' ? undefined : s.kind)[0];
  if (!hit) return '';
  return ` The ${c.claimedCount} ${hit.unit} in your report is ${hit.sensor}'s default alarm threshold: the count at which it reports, not the extent of the traffic.`;
}

/** "which is why your alert names port 80 as the source", when the complaint names our service port as the source. */
function sourcePortNote(c: Complaint, ours: OurPackets): string {
  return ours.servicePort !== undefined && c.ports.source.includes(ours.servicePort)
    ? `; that is why your report names port ${ours.servicePort} as the source`
    : '';
}

function explainCount(c: Complaint, s: ComplainantSensor, ours: OurPackets, findings: Finding[]): string {
  const so = ours.all ? 'those are the packets it counted' : 'those are most likely the packets it counted';
  const unseen = ours.forged
    ? 'It never saw the SYNs these answer (a third party sent them to us with your address forged), so each answer looked like a new connection from us'
    : 'A sensor that sees only one direction of each session, or picks sessions up midstream, takes a server\'s replies for new connections';
  switch (s.kind) {
    case 'snort': {
      const low = alarmsOf('snort').find((a) => a.level === 'low');
      const at = low ? `, alarming at ${low.count} changes within ${low.windowS} s at sense level ${low.level}` : '';
      return `sfPortscan counts, per host, how often the destination port changes among the packets it takes for new connections${at}. ${unseen}. Ours were ${ours.words}${sourcePortNote(c, ours)}.`;
    }
    case 'scanlogd': {
      const replay = findings.find((f) => f.id === 'ids-replay-scanlogd' && f.facts?.wouldFire === true)?.facts;
      if (replay) {
        return `scanlogd counts TCP packets to new ports at most 3 s apart and logs at weight ${SCANLOGD_WEIGHT_THRESHOLD}; ${num(replay, 'portCount') ?? 0} of our packets to new ports (weight ${num(replay, 'weight')}) within ${num(replay, 'windowSeconds')} s reached it. Ours were ${ours.words}.`;
      }
      return `scanlogd logs a source that sends TCP packets to new ports at most 3 s apart. Ours were ${ours.words}.${ours.acked ? ' As scanlogd normally skips packets with ACK set, as these have, please send us its log lines (they list the ports and TCP flags it saw) so we can match them to our records.' : ` ${so[0].toUpperCase()}${so.slice(1)}.`}`;
    }
    case 'zeek':
      return `Zeek's scan.zeek counts connections that never completed a handshake (${ours.forged ? 'an answer to a SYN it never saw is one' : 'sessions it saw from one side only are such connections'}). Ours were ${ours.words}; ${so}.`;
    case 'psad':
      return `psad counts every packet your firewall logged from our address, whatever its TCP flags. Ours were ${ours.words}; ${so}.`;
    case 'firewall':
      return `your firewall logs the packets from our address that it refuses, whatever their TCP flags. Ours were ${ours.words}; ${so}.`;
    case 'portsentry':
      return `PortSentry reports packets that reach the ports it watches. Ours were ${ours.words}; ${so}.`;
    case 'suricata':
      return `Suricata's scan alerts are signatures that count packets per source address against a threshold. Ours were ${ours.words}; ${so}.`;
    case 'fail2ban':
      return `fail2ban counts the log lines its filter matches for an address. The traffic behind them was ${ours.words}; ${so}.`;
    case 'feed':
      return `a feed like yours records the packets from our address that reach its sensors, replies included. Ours were ${ours.words}; ${so}.`;
    default:
      return `an IDS that counts destination ports per source address, replies included, sees a port scan from us in ${ours.forged ? 'answers to SYNs it never saw' : 'a server\'s replies'}. Ours were ${ours.words}${sourcePortNote(c, ours)}.`;
  }
}

/**
 * The paragraph about the complainant's alert, or '' when there is nothing
 * to explain (no decision yet, an address no one can route).
 */
export function sensorParagraph(c: Complaint, verdict: Verdict, findings: Finding[], accused: string): string {
  if (verdict === 'inconclusive') return '';
  const s = complainantSensor(c);
  const label = s.kind === 'unnamed' ? 'About your IDS alert' : s.kind === 'feed' ? 'About the events in your report' : `About your ${s.name} alert`;
  if (verdict === 'compromise') return `${label}: it matches our records; the traffic came from ${accused} itself.`;
  const ours = describeOurs(verdict, findings);
  if (!ours) return '';
  const nat = findings.some((f) => f.id === 'server-answering-clients' && f.facts?.natLikely === true)
    ? ' That many client ports behind one address is what several clients behind NAT (or one client downloading in parallel) look like.'
    : '';
  return `${label}: ${explainCount(c, s, ours, findings)}${nat}${thresholdNote(c, s)}`;
}
