import type { NetEvent } from '../events/event';
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
  firstTs: number | undefined;
  lastTs: number | undefined;
  readonly any = new TimeOccupancy();
  private readonly hosts = new Map<string, TimeOccupancy>();
  /** Only when the complaint names no target: a flood's answers go to a new peer every packet, each a counter to make and drop. */
  private readonly peers: TopK | undefined;

  /**
   * `tracked`: the addresses whose times matter (the accused, the targets,
   * the ends of the complaint's quoted lines).
   */
  constructor(private readonly accused: ReadonlySet<string>, private readonly targets: ReadonlySet<string>, tracked: Iterable<string>) {
    for (const a of tracked) this.hosts.set(a, new TimeOccupancy());
    this.peers = targets.size === 0 ? new TopK() : undefined;
  }

  add(e: NetEvent): void {
    if (this.firstTs === undefined || e.ts < this.firstTs) this.firstTs = e.ts;
    if (this.lastTs === undefined || e.ts > this.lastTs) this.lastTs = e.ts;
    this.any.add(e.ts);
    const src = e.src ? this.hosts.get(e.src) : undefined;
    if (src) src.add(e.ts);
    const dst = e.dst && e.dst !== e.src ? this.hosts.get(e.dst) : undefined;
    if (dst) dst.add(e.ts);
    const fromAccused = e.src !== undefined && this.accused.has(e.src);
    if (!fromAccused && !(e.dst !== undefined && this.accused.has(e.dst))) return;
    this.accusedEvents++;
    if ((e.src && this.targets.has(e.src)) || (e.dst && this.targets.has(e.dst))) this.pairEvents++;
    if (fromAccused && e.dst) this.peers?.add(e.dst);
  }

  merge(o: EvidenceOverview): void {
    this.accusedEvents += o.accusedEvents;
    this.pairEvents += o.pairEvents;
    if (o.firstTs !== undefined && (this.firstTs === undefined || o.firstTs < this.firstTs)) this.firstTs = o.firstTs;
    if (o.lastTs !== undefined && (this.lastTs === undefined || o.lastTs > this.lastTs)) this.lastTs = o.lastTs;
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
