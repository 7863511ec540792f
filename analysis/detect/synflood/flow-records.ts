import type { Finding } from '../detector';
import { ref } from '../excerpt';
import type { FlowSession } from '../flow-sessions';
import { listSome } from '../common';
import { DistinctCounter, DISTINCT_RELATIVE_ERROR } from '../sketch/distinct-counter';
import { SpreadSample } from '../sketch/spread-sample';
import { FirstSeen } from './answers';
import { MAX_SERVICE_PORTS, MIN_FLOOD_SOURCES } from './syn-stats';

/**
 * The same reasoning over flow records (argus, Zeek conn.log), which carry
 * no TTLs or TCP options: attempts to our service from many sources that
 * never completed, and the complainant's "conversations" among them.
 * Records are folded into counters as they come; none is kept but the quotes.
 */

/** Flow records must show at least this share of attempts never completed to call a port flooded. */
const MIN_HALF_OPEN_SHARE = 0.8;
/** Records kept per port and per target for quoting. */
const FLOW_QUOTES = 256;

/** TCP flow records to one port of one server. */
export class FlowPort {
  attempts = 0;
  /** Records whose handshake never completed, their sources and their span. */
  half = 0;
  readonly halfSources = new DistinctCounter();
  halfFirstTs = Infinity;
  halfLastTs = -Infinity;
  readonly halfQuotes = new SpreadSample(FLOW_QUOTES);
  firstTs = Infinity;

  constructor(readonly port: number) {}

  add(s: FlowSession): void {
    this.attempts++;
    this.firstTs = Math.min(this.firstTs, s.ev.ts);
    if (s.established) return;
    this.half++;
    this.halfSources.add(s.client);
    this.halfFirstTs = Math.min(this.halfFirstTs, s.ev.ts);
    this.halfLastTs = Math.max(this.halfLastTs, s.ev.ts);
    this.halfQuotes.add(s.ev);
  }

  merge(o: FlowPort): void {
    this.attempts += o.attempts;
    this.half += o.half;
    this.halfSources.merge(o.halfSources);
    this.halfFirstTs = Math.min(this.halfFirstTs, o.halfFirstTs);
    this.halfLastTs = Math.max(this.halfLastTs, o.halfLastTs);
    this.halfQuotes.merge(o.halfQuotes);
    this.firstTs = Math.min(this.firstTs, o.firstTs);
  }

  /** Distinct sources of the half-open records; an estimate past the counter's exact limit, never more than the records. */
  sourceCount(): number {
    return Math.min(this.halfSources.count(), this.half);
  }

  isFlood(): boolean {
    return this.sourceCount() >= MIN_FLOOD_SOURCES && this.half / this.attempts >= MIN_HALF_OPEN_SHARE;
  }
}

/** TCP flow records to one server, by port (at most MAX_SERVICE_PORTS; records to further ports are counted). */
export class FlowServer {
  readonly ports = new Map<number, FlowPort>();
  untrackedRecords = 0;
  readonly untrackedPorts = new Set<number>();

  add(s: FlowSession): void {
    let p = this.ports.get(s.serverPort!);
    if (!p) {
      if (this.ports.size >= MAX_SERVICE_PORTS) {
        this.untrackedRecords++;
        this.untrackedPorts.add(s.serverPort!);
        return;
      }
      this.ports.set(s.serverPort!, (p = new FlowPort(s.serverPort!)));
    }
    p.add(s);
  }

  merge(o: FlowServer): void {
    for (const [port, theirs] of o.ports) {
      const mine = this.ports.get(port);
      if (mine) mine.merge(theirs);
      else if (this.ports.size < MAX_SERVICE_PORTS) this.ports.set(port, theirs);
      else { this.untrackedRecords += theirs.attempts; this.untrackedPorts.add(port); }
    }
    this.untrackedRecords += o.untrackedRecords;
    for (const p of o.untrackedPorts) if (!this.ports.has(p)) this.untrackedPorts.add(p);
  }

  floods(): FlowPort[] {
    return [...this.ports.values()].sort((a, b) => a.firstTs - b.firstTs).filter((p) => p.isFlood());
  }
}

/** Flow records between one server and one target. */
export class FlowTarget {
  /** TCP records "from" the target to a port of our server. */
  theirs = 0;
  established = false;
  answered = 0;
  readonly clientPorts = new Set<number | undefined>();
  readonly servicePorts = new FirstSeen<number>();
  readonly quotes = new SpreadSample(FLOW_QUOTES);
  /** Records of conversations our server started toward the target (any protocol). */
  ours = 0;

  addTheirs(s: FlowSession): void {
    this.theirs++;
    if (s.established) this.established = true;
    if (s.answered !== false) this.answered++;
    this.clientPorts.add(s.clientPort);
    this.servicePorts.add(s.serverPort!, s.ev.ts);
    this.quotes.add(s.ev);
  }

  merge(o: FlowTarget): void {
    this.theirs += o.theirs;
    this.established ||= o.established;
    this.answered += o.answered;
    for (const p of o.clientPorts) this.clientPorts.add(p);
    this.servicePorts.merge(o.servicePorts);
    this.quotes.merge(o.quotes);
    this.ours += o.ours;
  }
}

export function flowFloodFinding(server: string, p: FlowPort): Finding {
  const sources = p.sourceCount();
  const span = (p.halfLastTs - p.halfFirstTs) / 1e6;
  const facts: NonNullable<Finding['facts']> = { server, port: p.port, syns: p.half, sources, completed: p.attempts - p.half, attempts: p.attempts, fromFlowRecords: true };
  if (!p.halfSources.exact) facts.sourcesRelativeStdError = `${(DISTINCT_RELATIVE_ERROR * 100).toFixed(2)}%`;
  return {
    id: 'inbound-syn-flood',
    detector: 'synflood-backscatter',
    leaning: 'backscatter',
    strength: 0.5 + 0.3 * Math.min(1, sources / 200),
    summary: `${server} port ${p.port} received a SYN flood: ${p.half} connection attempts from ${p.halfSources.exact ? '' : 'about '}${sources} different source addresses in ${span.toFixed(1)} s, ${p.attempts - p.half} of ${p.attempts} completed (flow records).`,
    explanation: 'Thousands of sources that each try once and never complete the handshake are forged addresses, not clients: a SYN flood.',
    evidence: p.halfQuotes.pick(6).map(ref),
    facts,
  };
}

export function flowAnswersFinding(server: string, target: string, t: FlowTarget, floodPorts: number[]): Finding | undefined {
  if (t.theirs === 0 || t.established) return undefined;
  const servicePorts = t.servicePorts.inTimeOrder();
  let strength = 0.35 + (t.ours === 0 ? 0.15 : 0) + (t.answered === t.theirs ? 0.15 : 0) + (floodPorts.some((p) => servicePorts.includes(p)) ? 0.25 : 0);
  strength = Math.min(0.9, strength);
  return {
    id: 'backscatter-to-complainant',
    detector: 'synflood-backscatter',
    leaning: 'backscatter',
    strength,
    summary: `Our flow records show ${t.theirs} connection attempts "from" ${target} (${t.clientPorts.size} different source ports) to ${server} port ${listSome(servicePorts)}, none completed; ${t.answered} were answered by our host (SYN-ACK or RST), and ${server} ${t.ours ? `itself started ${t.ours} conversation${t.ours === 1 ? '' : 's'}` : 'started no conversation'} with ${target}.`,
    explanation: `Each of these records begins with a SYN carrying ${target}'s address as its source. Our host answered with a SYN-ACK or RST, as any TCP stack does (RFC 9293 §3.5), and the answers went to ${target}: backscatter of a flood that forged your address, which your sensor counted as a scan from our port ${servicePorts[0]}.`,
    evidence: t.quotes.pick(8).map(ref),
    facts: { server, target, attempts: t.theirs, answers: t.answered, distinctPorts: t.clientPorts.size, servicePorts, startedByUs: t.ours, fromFlowRecords: true },
  };
}
