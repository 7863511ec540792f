import { flagWords, type NetEvent } from '../../events/event';
import type { Finding } from '../detector';
import { ref, sample } from '../excerpt';
import { listSome } from '../common';
import { SampledMap } from '../sketch/sampled-map';
import { SpreadSample } from '../sketch/spread-sample';

/**
 * (our port, their port) pairs tracked per target to join answers with the
 * SYNs they answer; past this the pairs are sampled by hash and the provoked
 * share is estimated from the sample.
 */
export const MAX_ANSWER_TUPLES = 1 << 14;
/** Answers kept per target for quoting (all of them while fewer). */
const ANSWER_QUOTES = 1024;

/** One 4-tuple between our server and the target: our answers on it, and the latest SYN that carried the target's address. */
interface Tuple {
  answers: number;
  syn?: NetEvent;
}

function laterSyn(a: NetEvent | undefined, b: NetEvent | undefined): NetEvent | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.ts >= a.ts ? b : a;
}

/** Ports in the order they were first seen in time (arrival order breaks ties). */
export class FirstSeen<K> {
  private readonly first = new Map<K, number>();
  add(k: K, ts: number): void {
    const t = this.first.get(k);
    if (t === undefined || ts < t) this.first.set(k, ts);
  }
  merge(o: FirstSeen<K>): void {
    for (const [k, ts] of o.first) this.add(k, ts);
  }
  get size(): number {
    return this.first.size;
  }
  inTimeOrder(): K[] {
    return [...this.first].sort((a, b) => a[1] - b[1]).map(([k]) => k);
  }
}

/**
 * What one server sent one target over TCP, and what arrived from the
 * target's address: enough to say whether we only answered SYNs that
 * carried its address. Ports and flag words are bounded by their own
 * ranges (65,536 ports; 256 flag combinations).
 */
export class TargetAnswers {
  answers = 0;
  synAcks = 0;
  /** Every TCP packet we sent them. */
  outbound = 0;
  /** The target's address completed a handshake or sent data: real sessions, not backscatter. */
  completedFromTarget = false;
  readonly answerPorts = new Set<number | undefined>();
  readonly servicePorts = new FirstSeen<number>();
  readonly flags = new FirstSeen<string>();
  readonly quotes = new SpreadSample(ANSWER_QUOTES);
  readonly tuples = new SampledMap<Tuple>(MAX_ANSWER_TUPLES, (a, b) => ({ answers: a.answers + b.answers, syn: laterSyn(a.syn, b.syn) }));

  /** Our answer (SYN-ACK, or RST to no SYN of ours) to the target. */
  addAnswer(e: NetEvent, synAck: boolean): void {
    this.answers++;
    if (synAck) this.synAcks++;
    this.answerPorts.add(e.dport);
    this.servicePorts.add(e.sport!, e.ts);
    this.flags.add(flagWords(e.tcpFlags), e.ts);
    this.quotes.add(e);
    const t = this.tuples.upsert(`${e.sport}|${e.dport}`, () => ({ answers: 0 }));
    if (t) t.answers++;
  }

  /** A SYN that arrived carrying the target's address as its source. */
  addSynFromTarget(e: NetEvent): void {
    const t = this.tuples.upsert(`${e.dport}|${e.sport}`, () => ({ answers: 0 }));
    if (t) t.syn = laterSyn(t.syn, e);
  }

  merge(o: TargetAnswers): void {
    this.answers += o.answers;
    this.synAcks += o.synAcks;
    this.outbound += o.outbound;
    this.completedFromTarget ||= o.completedFromTarget;
    for (const p of o.answerPorts) this.answerPorts.add(p);
    this.servicePorts.merge(o.servicePorts);
    this.flags.merge(o.flags);
    this.quotes.merge(o.quotes);
    this.tuples.merge(o.tuples);
  }

  /** Answers that follow a SYN from the target: counted while every pair is tracked, else estimated from the sample. */
  provoked(): { provoked: number; sampled?: number } {
    let answers = 0;
    let provoked = 0;
    for (const [, t] of this.tuples.entries()) {
      answers += t.answers;
      if (t.syn) provoked += t.answers;
    }
    if (this.tuples.exact) return { provoked };
    return { provoked: answers ? Math.round((this.answers * provoked) / answers) : 0, sampled: answers };
  }

  /** The SYN an answer replies to, when its pair is tracked. */
  synFor(answer: NetEvent): NetEvent | undefined {
    return this.tuples.get(`${answer.sport}|${answer.dport}`)?.syn;
  }
}

/** The flood the answers belong to, as the SYN statistics saw it. */
export interface FloodSeen {
  port: number;
  sources: number;
}

/** Our SYN-ACKs and RSTs to the complainant, and the forged SYNs that provoked them. */
export function answersFinding(server: string, target: string, a: TargetAnswers, floods: FloodSeen[]): Finding | undefined {
  if (a.answers === 0) return undefined;
  // The complainant completing handshakes means real sessions: the server-answering detector's case, not backscatter.
  if (a.completedFromTarget) return undefined;
  const { provoked, sampled } = a.provoked();
  const quoted = a.quotes.events();
  const provokedQuotes = quoted.map((q) => a.synFor(q)).filter((s): s is NetEvent => s !== undefined);
  const ports = a.answerPorts.size;
  const rsts = a.answers - a.synAcks;
  const servicePorts = a.servicePorts.inTimeOrder();
  // The flood on the port that answered (else any flood seen), by its own count of sources.
  const floodOn = floods.filter((f) => servicePorts.includes(f.port));
  const floodSources = Math.max(0, ...(floodOn.length ? floodOn : floods).map((f) => f.sources));
  const share = provoked / a.answers;
  let strength = 0.35;
  if (a.answers === a.outbound) strength += 0.15;
  if (share > 0.9) strength += 0.25;
  if (floods.length > 0) strength += 0.2;
  const kinds = [a.synAcks ? `${a.synAcks} SYN-ACK` : '', rsts ? `${rsts} RST` : ''].filter(Boolean).join(' and ');
  const facts: NonNullable<Finding['facts']> = {
    server, target, answers: a.answers, synAcks: a.synAcks, rsts, distinctPorts: ports, provoked,
    servicePorts, flags: a.flags.inTimeOrder(),
  };
  if (sampled !== undefined) { facts.provokedEstimated = true; facts.answersSampled = sampled; }
  const provokedText = sampled === undefined
    ? `${provoked} of ${a.answers}`
    : `about ${provoked} of ${a.answers} (estimated from ${sampled} answers sampled by hash: at most ${MAX_ANSWER_TUPLES} port pairs are tracked per target)`;
  return {
    id: 'backscatter-to-complainant',
    detector: 'synflood-backscatter',
    leaning: 'backscatter',
    strength: Math.max(0, Math.min(0.95, strength)),
    summary: `Everything ${server} sent to ${target} was ${kinds} answers from port ${listSome(servicePorts)} to ${ports} different ports; ${provokedText} answer a SYN that arrived carrying ${target} as its source.`,
    explanation: `A SYN-ACK or RST is what a TCP stack sends back when it receives a SYN (RFC 9293 §3.5). Our host never opened a connection to ${target}: it answered SYNs that arrived with ${target}'s address as the source${floodSources ? `, during a SYN flood from ${floodSources} different source addresses` : ''}. Those answers (backscatter) go to whoever's address was forged, which is why your sensor saw "port ${listSome(servicePorts)}" talking to many of your ports.`,
    evidence: [...sample(quoted, 6).map(ref), ...sample(provokedQuotes, 3).map(ref)],
    facts,
  };
}
