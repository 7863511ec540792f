import { fmix32, hash32 } from '../sketch/distinct-counter';

/**
 * Which connection attempts to one server were completed, in bounded
 * memory and whatever order the packets arrive in.
 *
 * Attempts (a SYN's "src|sport" on a port) are kept per port, exactly while
 * all ports together hold at most MAX_HANDSHAKE_TUPLES; past that the
 * busiest port is sampled by hash (a 4-tuple is kept iff the top `level`
 * bits of its hash are zero, Wegman's adaptive sampling), so a flood on one
 * port does not blur the count of a quiet service beside it. A client's
 * follow-up (ACK or data on the 4-tuple) marks its attempt completed; one
 * read before its SYN (another file, the other half of a split capture,
 * a connection older than the capture) waits among the early follow-ups,
 * themselves sampled by hash past MAX_EARLY_FOLLOW_UPS.
 *
 * Keeping or dropping an attempt depends on its 4-tuple's hash alone, never
 * on when it came, so the completed share measured on a port's sample holds
 * for all its attempts; the number of attempts is scaled from the sample.
 */

/** Attempt 4-tuples kept per server, all ports together. */
export const MAX_HANDSHAKE_TUPLES = 1 << 16;
/** Follow-ups kept per server whose attempt has not been seen. */
export const MAX_EARLY_FOLLOW_UPS = 1 << 16;


/**
 * A client "src|sport" as one exact number when src is a dotted IPv4 address
 * (address * 65536 + port, below 2^48), else as a string: a number needs no
 * string built and hashed per SYN, which is most of a flood's cost here.
 */
export type ClientKey = number | string;
export function clientKey(src: string, sport: number | undefined): ClientKey {
  let ip = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || octet > 255) return `${src}|${sport}`;
      ip = ip * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
    } else {
      return `${src}|${sport}`;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255 || sport === undefined) return `${src}|${sport}`;
  return (ip * 256 + octet) * 65536 + sport;
}

/** The client key of an event: from the decoder's number for the address when it gave one, no text parsed. */
export function clientKeyOf(e: { src?: string; src4?: number; sport?: number }): ClientKey {
  return e.src4 !== undefined && e.sport !== undefined ? e.src4 * 65536 + e.sport : clientKey(e.src!, e.sport);
}

function hashKey(key: ClientKey): number {
  if (typeof key === 'string') return hash32(key);
  return fmix32((key >>> 0) ^ fmix32(Math.floor(key / 4294967296)));
}

/**
 * hashKey of the numeric key src4 * 65536 + sport, from its two parts: its
 * low word is (src4 << 16 | sport), its high one src4 >>> 16. A flood's SYN
 * is then turned away by its hash alone, with no key made and no division.
 */
function v4Hash(src4: number, sport: number): number {
  return fmix32(((src4 << 16) | sport) ^ fmix32(src4 >>> 16));
}

function hashPasses(h: number, level: number): boolean {
  return level >= 32 ? h === 0 : h >>> (32 - level) === 0;
}

function passes(key: ClientKey, level: number): boolean {
  return level === 0 || hashPasses(hashKey(key), level);
}

/** One port's attempts: client -> completed. */
export class PortAttempts {
  level = 0;
  readonly tuples = new Map<ClientKey, boolean>();
}

/** A port's handshakes: attempts and completed ones, measured or, when `sampled` is set, estimated from that many sampled attempts. */
export interface Completion {
  attempts: number;
  completed: number;
  sampled?: number;
}

export class HandshakeTable {
  private readonly ports = new Map<number, PortAttempts>();
  private attempts = 0;
  private readonly early = new Map<number, Set<ClientKey>>();
  private earlyCount = 0;
  /** Early follow-ups are kept with probability 2^-earlyLevel. */
  earlyLevel = 0;

  /** Entries held now (attempts and early follow-ups), for tests of the bound. */
  get size(): { attempts: number; early: number } {
    return { attempts: this.attempts, early: this.earlyCount };
  }

  /** True while every attempt and follow-up is kept. */
  get exact(): boolean {
    return this.earlyLevel === 0 && [...this.ports.values()].every((p) => p.level === 0);
  }

  /** A SYN to `port` from the client `key` (see clientKey). */
  attempt(port: number, key: ClientKey): void {
    const p = this.portAttempts(port);
    if (passes(key, p.level)) this.keep(p, port, key);
  }

  /** `attempt` for an IPv4 client given as its address value and port: the same key, the same sample. */
  attemptV4(port: number, src4: number, sport: number): void {
    const p = this.portAttempts(port);
    if (p.level === 0 || hashPasses(v4Hash(src4, sport), p.level)) this.keep(p, port, src4 * 65536 + sport);
  }

  private portAttempts(port: number): PortAttempts {
    let p = this.ports.get(port);
    if (!p) this.ports.set(port, (p = new PortAttempts()));
    return p;
  }

  private keep(p: PortAttempts, port: number, key: ClientKey): void {
    if (p.tuples.has(key)) return;
    p.tuples.set(key, this.takeEarly(port, key));
    if (++this.attempts > MAX_HANDSHAKE_TUPLES) this.shrink();
  }

  /** The client's ACK or data on the same 4-tuple. */
  followUp(port: number, key: ClientKey): void {
    const p = this.ports.get(port);
    if (p) {
      const done = p.tuples.get(key);
      if (done !== undefined) { if (!done) p.tuples.set(key, true); return; }
      // Its SYN, if it comes, would fail the same test.
      if (!passes(key, p.level)) return;
    }
    if (!passes(key, this.earlyLevel)) return;
    let s = this.early.get(port);
    if (!s) this.early.set(port, (s = new Set()));
    if (s.has(key)) return;
    s.add(key);
    if (++this.earlyCount > MAX_EARLY_FOLLOW_UPS) this.thinEarly();
  }

  merge(o: HandshakeTable): void {
    while (this.earlyLevel < o.earlyLevel) this.raiseEarly();
    for (const [port, theirs] of o.ports) {
      let mine = this.ports.get(port);
      if (!mine) this.ports.set(port, (mine = new PortAttempts()));
      while (mine.level < theirs.level) this.raise(mine, port);
      for (const [key, done] of theirs.tuples) {
        if (!passes(key, mine.level)) continue;
        const had = mine.tuples.get(key);
        if (had === undefined) { mine.tuples.set(key, done || this.takeEarly(port, key)); this.attempts++; } else if (done && !had) mine.tuples.set(key, true);
      }
    }
    for (const [port, keys] of o.early) for (const key of keys) this.followUp(port, key);
    this.shrink();
  }

  /**
   * Attempts and completed ones on `port`: counted while the port's attempts are all kept, else
   * scaled from its sample (never more attempts than `syns`). Completion is read on the port's own
   * sample: a follow-up read after its SYN always marks it; one read before its SYN was kept only if
   * the early follow-ups were not sampled (`earlyLevel` 0), so with them sampled, completion read
   * out of order may be undercounted (said by the caller).
   */
  completion(port: number, syns: number): Completion {
    const p = this.ports.get(port);
    if (!p) return { attempts: 0, completed: 0 };
    let completed = 0;
    for (const done of p.tuples.values()) if (done) completed++;
    if (p.level === 0) return { attempts: p.tuples.size, completed };
    const attempts = Math.min(syns, Math.round(p.tuples.size * 2 ** p.level));
    return { attempts, completed: p.tuples.size ? Math.round((attempts * completed) / p.tuples.size) : 0, sampled: p.tuples.size };
  }

  /** The follow-up of `key` on `port` read before its SYN, taken out of the early ones. */
  private takeEarly(port: number, key: ClientKey): boolean {
    const s = this.early.get(port);
    if (!s || !s.delete(key)) return false;
    this.earlyCount--;
    return true;
  }

  /** Sample the busiest port one level further until all ports fit. */
  private shrink(): void {
    while (this.attempts > MAX_HANDSHAKE_TUPLES) {
      let busiest: [number, PortAttempts] | undefined;
      for (const entry of this.ports) if (!busiest || entry[1].tuples.size > busiest[1].tuples.size) busiest = entry;
      this.raise(busiest![1], busiest![0]);
    }
    while (this.earlyCount > MAX_EARLY_FOLLOW_UPS) this.raiseEarly();
  }

  private raise(p: PortAttempts, port: number): void {
    p.level++;
    for (const key of p.tuples.keys()) if (!passes(key, p.level)) { p.tuples.delete(key); this.attempts--; }
    // Early follow-ups on this port that the port would now refuse can never meet their SYN.
    const s = this.early.get(port);
    if (s) for (const key of s) if (!passes(key, p.level)) { s.delete(key); this.earlyCount--; }
  }

  private thinEarly(): void {
    while (this.earlyCount > MAX_EARLY_FOLLOW_UPS) this.raiseEarly();
  }

  private raiseEarly(): void {
    this.earlyLevel++;
    for (const s of this.early.values()) for (const key of s) if (!passes(key, this.earlyLevel)) { s.delete(key); this.earlyCount--; }
  }
}
