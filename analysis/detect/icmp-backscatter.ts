import { IPPROTO_ICMP, type NetEvent, type QuotedHeader } from '../events/event';
import { unreachableSourceReason } from '../util/net';
import type { DetectContext, Finding } from './detector';
import { ref } from './excerpt';
import { isPacket } from './common';
import { SpreadSample } from './sketch/spread-sample';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';

/**
 * ICMP types CAIDA counts as backscatter (Moore et al., "Inferring Internet
 * Denial-of-Service Activity"): echo reply (0), unreachable (3), source
 * quench (4), redirect (5), time exceeded (11), parameter problem (12),
 * timestamp reply (14), information reply (16), address mask reply (18).
 * They are all answers: our host sends them because something sent it a
 * packet carrying the receiver's address.
 */
const BACKSCATTER_TYPES = new Set([0, 3, 4, 5, 11, 12, 14, 16, 18]);
const ICMP_NAMES: Record<number, string> = {
  0: 'echo reply', 3: 'destination unreachable', 4: 'source quench', 5: 'redirect', 11: 'time exceeded',
  12: 'parameter problem', 14: 'timestamp reply', 16: 'information reply', 18: 'address mask reply',
};
/** Answers kept per (server, target) for quoting: all of them while fewer. */
const MAX_ANSWER_QUOTES = 256;

/**
 * The ICMP messages one server sent one target, folded as they come. Types
 * are bounded by their range (256); the quoted example is the earliest
 * answer quoting the target, whatever order the files arrive in.
 */
export class IcmpPair {
  /** Every ICMP message we sent them, answer or not. */
  ours = 0;
  answers = 0;
  quotedFromTarget = 0;
  /** Answer types, by the time each was first seen. */
  readonly types = new Map<number, number>();
  example: NetEvent | undefined;
  readonly quotes = new SpreadSample(MAX_ANSWER_QUOTES);

  add(e: NetEvent, target: string): void {
    this.ours++;
    const icmp = e.icmp!;
    // An error goes to the source of the datagram it quotes (RFC 792): one quoting any other source
    // answers nothing the target sent, whoever built it.
    if (!BACKSCATTER_TYPES.has(icmp.type) || (icmp.quoted && icmp.quoted.src !== target)) return;
    this.answers++;
    const first = this.types.get(icmp.type);
    if (first === undefined || e.ts < first) this.types.set(icmp.type, e.ts);
    this.quotes.add(e);
    // An ICMP error quotes the packet that provoked it: if that packet claimed the complainant as source, so be it.
    if (icmp.quoted?.src === target) {
      this.quotedFromTarget++;
      if (!this.example || e.ts < this.example.ts) this.example = e;
    }
  }

  merge(o: IcmpPair): void {
    this.ours += o.ours;
    this.answers += o.answers;
    this.quotedFromTarget += o.quotedFromTarget;
    for (const [type, ts] of o.types) {
      const first = this.types.get(type);
      if (first === undefined || ts < first) this.types.set(type, ts);
    }
    if (o.example && (!this.example || o.example.ts < this.example.ts)) this.example = o.example;
    this.quotes.merge(o.quotes);
  }
}

/** Per (server, target) pairs for a fixed list of targets. */
export class IcmpPairs {
  readonly pairs = new Map<string, IcmpPair>();
  readonly targets: Set<string>;

  constructor(private readonly servers: ReadonlySet<string>, targets: readonly string[]) {
    this.targets = new Set(targets);
  }

  add(e: NetEvent): void {
    if (!isPacket(e) || e.proto !== IPPROTO_ICMP || !e.icmp) return;
    if (!this.servers.has(e.src) || !this.targets.has(e.dst)) return;
    const key = `${e.src} ${e.dst}`;
    let p = this.pairs.get(key);
    if (!p) this.pairs.set(key, (p = new IcmpPair()));
    p.add(e, e.dst);
  }

  get(server: string, target: string): IcmpPair | undefined {
    return this.pairs.get(`${server} ${target}`);
  }

  merge(o: IcmpPairs): void {
    for (const [key, theirs] of o.pairs) {
      const mine = this.pairs.get(key);
      if (mine) mine.merge(theirs);
      else this.pairs.set(key, theirs);
    }
  }
}

function quotedText(q: QuotedHeader): string {
  return `${q.src}${q.sport !== undefined ? `:${q.sport}` : ''} -> ${q.dst}${q.dport !== undefined ? `:${q.dport}` : ''}`;
}

function finding(server: string, target: string, p: IcmpPair): Finding {
  const types = [...p.types].sort((a, b) => a[1] - b[1]).map(([t]) => ICMP_NAMES[t] ?? `type ${t}`);
  const quoted = p.example?.icmp?.quoted;
  return {
    id: 'icmp-backscatter',
    detector: 'icmp-backscatter',
    leaning: 'backscatter',
    strength: 0.4 + (p.answers === p.ours ? 0.2 : 0) + (p.quotedFromTarget ? 0.25 : 0),
    summary: `${server} sent ${p.answers} ICMP ${types.join('/')} messages to ${target}: answers, not probes${p.quotedFromTarget ? `; ${p.quotedFromTarget} of them quote a packet that carried ${target} as its source` : ''}.`,
    explanation: quoted
      ? `An ICMP error carries the header of the packet that caused it (RFC 792). The quoted header reads ${quotedText(quoted)}: a packet with your address as source reached us first, and our host reported the error back to that (forged) source.`
      : 'These ICMP messages are replies our host sends when it receives a packet; they reach the address the triggering packet carried as its source.',
    evidence: p.quotes.pick(8).map(ref),
    facts: { server, target, answers: p.answers, quotedFromTarget: p.quotedFromTarget, types },
  };
}

/** Exported for tests that look at its bounds. */
export class IcmpAccumulator implements Accumulator {
  readonly servers: ReadonlySet<string>;
  readonly pairs: IcmpPairs;

  constructor(ctx: StreamContext) {
    this.servers = new Set(ctx.accused);
    this.pairs = new IcmpPairs(this.servers, ctx.targets);
  }

  add(e: NetEvent): void {
    this.pairs.add(e);
  }

  merge(other: Accumulator): void {
    this.pairs.merge((other as IcmpAccumulator).pairs);
  }

  finish(ctx: DetectContext): Finding[] {
    // Targets the evidence suggested at the end (the complaint named none) were not followed while streaming:
    // their answers are counted from the events the pipeline retained.
    const missing = ctx.targets.filter((t) => !this.pairs.targets.has(t));
    const late = missing.length ? new IcmpPairs(this.servers, missing) : undefined;
    if (late) for (const e of ctx.events) late.add(e);
    const findings: Finding[] = [];
    // An address no network can route is nobody's server: the impossible-source detector speaks for it.
    for (const server of ctx.accused.filter((a) => !unreachableSourceReason(a, ctx.targets))) {
      for (const target of ctx.targets) {
        const p = (this.pairs.targets.has(target) ? this.pairs : late)?.get(server, target);
        if (p && p.answers > 0) findings.push(finding(server, target, p));
      }
    }
    return findings;
  }
}

export const icmpBackscatter = streamingDetector('icmp-backscatter', (ctx) => new IcmpAccumulator(ctx));
