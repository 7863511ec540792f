import type { NetEvent } from '../../events/event';
import { DistinctCounter } from '../sketch/distinct-counter';
import { TimeSample, slim } from '../stream-evidence';
import type { RequestShape } from './services';

/** Request signatures counted one by one per pair; further ones are counted together (and their number estimated). */
export const MAX_SIGNATURES = 64;
/** Packets of each direction kept per pair for quoting: chosen by the set of packets, not their order (TimeSample). */
const QUOTES = 64;

/** Traffic of one direction: packets (or flow-record packets), payload bytes, first and last time. */
export class Side {
  packets = 0;
  bytes = 0;
  /** Largest single datagram's payload; flows give none. */
  largest = 0;
  first = Infinity;
  last = -Infinity;

  add(packets: number, bytes: number, from: number, to: number, largest = 0): void {
    this.packets += packets;
    this.bytes += bytes;
    if (largest > this.largest) this.largest = largest;
    if (from < this.first) this.first = from;
    if (to > this.last) this.last = to;
  }

  merge(o: Side): void {
    this.add(o.packets, o.bytes, o.first, o.last, o.largest);
  }
}

function addCount<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/**
 * One of our services (server, port) and one peer: the answers it sent the
 * peer and the requests that reached it carrying the peer's address. Every
 * part merges exactly (sums, minima and maxima, maps of counts, order-free
 * samples) while the signatures stay under MAX_SIGNATURES.
 */
export class ReflectionPair {
  readonly answers = new Side();
  readonly requests = new Side();
  /** The same from flow records, kept apart: a capture and the flows of the same traffic must not add up. */
  readonly flowAnswers = new Side();
  readonly flowRequests = new Side();
  /** Flow records whose counts mix both directions (argus totals of a two-way record). */
  mixedPackets = 0;
  mixedBytes = 0;
  /** Request TTLs: a tool and a real client each send with one; several senders forging one address, with several. */
  readonly ttls = new Map<number, number>();
  readonly kinds = new Map<string, number>();
  readonly signatures = new Map<string, number>();
  /** Requests whose signature came after MAX_SIGNATURES others. */
  otherSignatures = 0;
  readonly distinctSignatures = new DistinctCounter(MAX_SIGNATURES);
  readonly requestPorts = new DistinctCounter(MAX_SIGNATURES);
  readonly answerQuotes = new TimeSample(QUOTES);
  readonly requestQuotes = new TimeSample(QUOTES);

  answer(ev: NetEvent): void {
    const len = ev.payloadLength ?? 0;
    this.answers.add(1, len, ev.ts, ev.ts, len);
    this.answerQuotes.add(slim(ev));
  }

  request(ev: NetEvent, shape: RequestShape): void {
    const len = ev.payloadLength ?? 0;
    this.requests.add(1, len, ev.ts, ev.ts, len);
    if (ev.ttl !== undefined) addCount(this.ttls, ev.ttl, 1);
    addCount(this.kinds, shape.kind, 1);
    this.signature(shape.signature, 1);
    this.distinctSignatures.add(shape.signature);
    if (ev.sport !== undefined) this.requestPorts.add(String(ev.sport));
    this.requestQuotes.add(slim(ev));
  }

  private signature(sig: string, n: number): void {
    if (this.signatures.has(sig) || this.signatures.size < MAX_SIGNATURES) addCount(this.signatures, sig, n);
    else this.otherSignatures += n;
  }

  merge(o: ReflectionPair): void {
    this.answers.merge(o.answers);
    this.requests.merge(o.requests);
    this.flowAnswers.merge(o.flowAnswers);
    this.flowRequests.merge(o.flowRequests);
    this.mixedPackets += o.mixedPackets;
    this.mixedBytes += o.mixedBytes;
    for (const [k, n] of o.ttls) addCount(this.ttls, k, n);
    for (const [k, n] of o.kinds) addCount(this.kinds, k, n);
    for (const [k, n] of o.signatures) this.signature(k, n);
    this.otherSignatures += o.otherSignatures;
    this.distinctSignatures.merge(o.distinctSignatures);
    this.requestPorts.merge(o.requestPorts);
    this.answerQuotes.merge(o.answerQuotes);
    this.requestQuotes.merge(o.requestQuotes);
  }
}
