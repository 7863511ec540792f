import type { NetEvent } from '../events/event';
import { memberTest } from '../util/member-test';
import { TopK } from '../util/top-k';
import type { SeenIndex } from './clock-offset';
import { TimeOccupancy } from './time-occupancy';

/**
 * What the whole evidence says about the case's hosts, folded event by event
 * in bounded memory: how many events involve the accused and the named
 * targets, the span the evidence covers, when each of the case's hosts was
 * seen (for the clock-offset search and the window check), and the peers the
 * accused sent most to (for the notes when the complaint names no target).
 */
export class EvidenceOverview implements SeenIndex {
  accusedEvents = 0;
  pairEvents = 0;
  // Numbers from the start (none seen: ±Infinity), not undefined: V8 then keeps them as unboxed
  // doubles, where a field that began undefined boxed every packet's time in a new heap number.
  private earliest = Infinity;
  private latest = -Infinity;
  readonly any = new TimeOccupancy();
  private readonly hosts = new Map<string, TimeOccupancy>();
  /** Only when the complaint names no target: a flood's answers go to a new peer every packet, each a counter to make and drop. */
  private readonly peers: TopK | undefined;

  /**
   * `tracked`: the addresses whose times matter (the accused, the targets,
   * the ends of the complaint's quoted lines).
   */
  // Membership tests of the few case addresses (util/member-test.ts): asked for both ends of every event.
  private readonly isAccused: (a: string | undefined) => boolean;
  private readonly isTarget: (a: string | undefined) => boolean;
  private readonly isTracked: (a: string | undefined) => boolean;

  constructor(accused: ReadonlySet<string>, targets: ReadonlySet<string>, tracked: Iterable<string>) {
    for (const a of tracked) this.hosts.set(a, new TimeOccupancy());
    this.peers = targets.size === 0 ? new TopK() : undefined;
    this.isAccused = memberTest(accused);
    this.isTarget = memberTest(targets);
    this.isTracked = memberTest(this.hosts.keys());
  }

  /** Time of the earliest event, undefined before any. */
  get firstTs(): number | undefined {
    return this.earliest === Infinity ? undefined : this.earliest;
  }

  get lastTs(): number | undefined {
    return this.latest === -Infinity ? undefined : this.latest;
  }

  add(e: NetEvent): void {
    if (e.ts < this.earliest) this.earliest = e.ts;
    if (e.ts > this.latest) this.latest = e.ts;
    this.any.add(e.ts);
    if (this.isTracked(e.src)) this.hosts.get(e.src!)!.add(e.ts);
    if (e.dst !== e.src && this.isTracked(e.dst)) this.hosts.get(e.dst!)!.add(e.ts);
    const fromAccused = this.isAccused(e.src);
    if (!fromAccused && !this.isAccused(e.dst)) return;
    this.accusedEvents++;
    if (this.isTarget(e.src) || this.isTarget(e.dst)) this.pairEvents++;
    if (fromAccused && e.dst) this.peers?.add(e.dst);
  }

  merge(o: EvidenceOverview): void {
    this.accusedEvents += o.accusedEvents;
    this.pairEvents += o.pairEvents;
    if (o.earliest < this.earliest) this.earliest = o.earliest;
    if (o.latest > this.latest) this.latest = o.latest;
    this.any.merge(o.any);
    for (const [a, occ] of o.hosts) {
      const mine = this.hosts.get(a);
      if (mine) mine.merge(occ); else this.hosts.set(a, occ);
    }
    if (this.peers && o.peers) this.peers.merge(o.peers);
  }

  host(addr: string): TimeOccupancy | undefined {
    return this.hosts.get(addr);
  }

  /** The peers the accused sent most events to, busiest first (none kept when the complaint names a target). */
  topPeers(n: number): string[] {
    return (this.peers?.top(n) ?? []).map((p) => p.key);
  }
}
