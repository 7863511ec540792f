import type { EvidenceRef, Finding } from '../detector';
import { ref, sample } from '../excerpt';
import { listSome, rate, strength } from '../common';
import { eventOrder } from '../stream-evidence';
import type { ReflectionPair, Side } from './pair';
import { SERVICES, serviceName } from './services';

/** Fewer answers than this are an exchange, not a flood (one chargen request, a few lookups). */
export const MIN_ANSWERS = 10;
/**
 * Below this nothing is amplified. Real resolvers answer a browsing client
 * with 3 to 4 times the query's bytes (the corpus's wikipedia, espn and
 * evilprogram captures: 3.1, 3.35, 3.91), so the factor alone never decides.
 */
export const MIN_FACTOR = 3;
/** Answers a second that no client of one service asks for by hand... */
const FLOOD_RATE = 5;
/** ...held over this many answers: a browser's page load asks a resolver 14 names in 49 ms (wikipedia.pcap, 287 a second). */
const FLOOD_MIN_ANSWERS = 50;
/** With the requests missing, only a sustained flood of answers says reflection. */
const ANSWERS_ONLY_MIN = 100;
const ANSWERS_ONLY_RATE = 10;

/** What the pair adds up to, from packets when the capture has them, else from flow records. */
export interface Figures {
  answers: number;
  answerBytes: number;
  requests: number;
  requestBytes: number;
  first: number;
  last: number;
  fromFlows: boolean;
  /** Requests per second and answers per second over the span of both. */
  requestRate: number;
  answerRate: number;
  /** answer bytes / request bytes; undefined without requests. */
  factor?: number;
  /** Mean answer over mean request. */
  perPacket?: number;
  /** Share of the requests that were one and the same request; undefined when they could not be read (flows). */
  identical?: number;
  top?: string;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function figures(p: ReflectionPair): Figures {
  const fromFlows = p.answers.packets === 0 && p.requests.packets === 0;
  const [a, q]: [Side, Side] = fromFlows ? [p.flowAnswers, p.flowRequests] : [p.answers, p.requests];
  const first = Math.min(a.first, q.first);
  const last = Math.max(a.last, q.last);
  const f: Figures = {
    answers: a.packets, answerBytes: a.bytes, requests: q.packets, requestBytes: q.bytes, first, last, fromFlows,
    requestRate: q.packets ? rate(q.packets, first, last) : 0, answerRate: a.packets ? rate(a.packets, first, last) : 0,
  };
  if (q.packets > 0 && q.bytes > 0) {
    f.factor = round2(a.bytes / q.bytes);
    if (a.packets > 0) f.perPacket = round2((a.bytes / a.packets) / (q.bytes / q.packets));
  }
  if (!fromFlows && q.packets > 0) {
    const [top, n] = [...p.signatures].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0] ?? ['', 0];
    f.identical = round2(n / q.packets);
    f.top = top;
  }
  return f;
}

/** Reflection, or a service doing its job: see the file header of reflection.ts for the rule. */
export function isReflection(f: Figures): boolean {
  if (f.answers < MIN_ANSWERS) return false;
  if (f.factor === undefined) return f.requests === 0 && f.answers >= ANSWERS_ONLY_MIN && f.answerRate >= ANSWERS_ONLY_RATE;
  if (f.factor < MIN_FACTOR) return false;
  const rateNow = Math.max(f.requestRate, f.answerRate);
  if (f.identical === undefined) return f.answers >= FLOOD_MIN_ANSWERS && rateNow >= FLOOD_RATE && (f.factor >= 10 || rateNow >= 10 * FLOOD_RATE);
  const sustained = rateNow >= FLOOD_RATE && f.answers >= FLOOD_MIN_ANSWERS;
  return (sustained && (f.identical >= 0.3 || f.factor >= 10)) || (f.identical >= 0.6 && f.requests >= 20 && rateNow >= 1);
}

const unit = (x: number, max: number): number => Math.max(0, Math.min(1, Math.log10(Math.max(1, x)) / max));

export interface PairContext {
  server: string;
  port: number;
  target: string;
  /** Packets or records the target sent us that were not requests to this service (TCP connections, pings, other UDP). */
  initiated: number;
  /** ICMP unreachables from the target quoting our answers. */
  refused: number;
}

function ttlText(p: ReflectionPair): string[] {
  return [...p.ttls].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 8).map(([t, n]) => `${t} x${n}`);
}

function sorted(m: Map<string, number>, n: number): string[] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([k, c]) => `${k} x${c}`);
}

function quotes(p: ReflectionPair): EvidenceRef[] {
  const both = [...sample(p.requestQuotes.events(), 4), ...sample(p.answerQuotes.events(), requestsIn(p) ? 4 : 8)];
  return both.sort(eventOrder).map(ref);
}

const requestsIn = (p: ReflectionPair): boolean => p.requests.packets > 0;

export function reflectionFinding(p: ReflectionPair, f: Figures, c: PairContext): Finding {
  const service = serviceName(c.port);
  const ttls = ttlText(p);
  const seen = f.requests > 0;
  const rateNow = Math.max(f.requestRate, f.answerRate);
  const s = seen
    ? 0.4 + 0.15 * unit(rateNow, 3) + 0.15 * (f.identical ?? 0) + 0.2 * unit(f.factor ?? 1, 2) + (p.ttls.size >= 3 ? 0.05 : 0) - (c.initiated > 0 ? 0.15 : 0)
    : 0.3 + 0.15 * unit(rateNow, 3) - (c.initiated > 0 ? 0.1 : 0);
  const kinds = sorted(p.kinds, 6);
  const bytesWord = f.fromFlows ? 'bytes of UDP payload, from the flow records' : 'bytes of UDP payload';
  const summary = seen
    ? `${c.server} answered ${f.requests} ${service} requests forged with ${c.target}'s address: ${f.answers} answers, ${f.answerBytes} bytes sent for ${f.requestBytes} bytes received, an amplification factor of ${f.factor}.`
    : `${c.server} sent ${f.answers} ${service} answers (${f.answerBytes} bytes) to ${c.target} at ${f.answerRate} a second; the requests they answer are not in the evidence.`;
  const parts = [
    `UDP has no handshake: whoever sends a request to our open ${service} service on ${c.server} port ${c.port} chooses the source address the answer goes to. The traffic you saw from us is those answers, sent to your address because the requests carried it; the attacker is whoever forged the requests, and the reflection multiplies what they send.`,
  ];
  if (seen) {
    parts.push(`Our evidence holds ${f.requests} requests arriving with ${c.target} as source (${f.requestBytes} ${bytesWord}, ${f.requestRate} a second) and our ${f.answers} answers (${f.answerBytes} bytes): ${f.answerBytes} / ${f.requestBytes} = ${f.factor} times the bytes in${f.perPacket !== undefined ? `, ${f.perPacket} per packet` : ''}.`);
    if (kinds.length) parts.push(`The requests were ${listSome(kinds, 6)}${f.identical !== undefined ? `; ${Math.round(f.identical * 100)}% of them identical (${f.top})` : ''}.`);
    if (ttls.length) parts.push(`They arrived with IP TTL ${listSome(ttls, 8)}${p.ttls.size >= 3 ? ': several senders, each claiming the one address' : ''}.`);
  } else {
    parts.push(`The requests are absent from our evidence (only our answers were captured), so the amplification cannot be measured here; the answers went out at ${f.answerRate} a second.`);
  }
  if (c.refused) parts.push(`Your host refused ${c.refused} of these answers with ICMP port unreachable: nothing there had asked for them.`);
  parts.push(c.initiated
    ? `Your address did also start ${c.initiated} other exchange(s) with ${c.server}, so part of this may be your own traffic.`
    : `Your address started nothing else with ${c.server} in this evidence: no other connection, lookup or ping of its own.`);
  const known = SERVICES.get(c.port)?.known;
  if (known) parts.push(`US-CERT TA14-017A lists ${service} as an amplifier with a bandwidth factor of ${known}.`);
  return {
    id: 'reflection-amplification',
    detector: 'reflection',
    leaning: 'backscatter',
    strength: strength(Math.min(0.95, s)),
    summary,
    explanation: parts.join(' '),
    evidence: quotes(p),
    facts: {
      server: c.server, port: c.port, service, target: c.target,
      requests: f.requests, requestBytes: f.requestBytes, answers: f.answers, answerBytes: f.answerBytes,
      ...(f.factor !== undefined ? { factor: f.factor } : {}),
      ...(f.perPacket !== undefined ? { perPacketFactor: f.perPacket } : {}),
      ...(f.identical !== undefined ? { identicalShare: f.identical, topRequest: f.top ?? '' } : {}),
      requestRate: f.requestRate, answerRate: f.answerRate,
      requestsSeen: seen, fromFlows: f.fromFlows,
      requestKinds: kinds, topRequests: sorted(p.signatures, 5), requestTtls: ttls, ttlDistinct: p.ttls.size,
      distinctRequests: p.distinctSignatures.count(), distinctRequestsExact: p.distinctSignatures.exact,
      targetInitiated: c.initiated, refusedByTarget: c.refused,
      ...(p.mixedPackets ? { mixedFlowPackets: p.mixedPackets } : {}),
      advice: `close or rate-limit the open ${service} on ${c.server} (port ${c.port}); BCP 38 (RFC 2827) for the network that let the forged requests in`,
    },
  };
}
