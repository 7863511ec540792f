import type { NetEvent } from '../../events/event';
import { memberTest } from '../../util/member-test';
import { SampledMap } from '../sketch/sampled-map';
import { eventOrder, slim } from '../stream-evidence';
import type { Opening, Request } from './kinds';

/**
 * What one peer asked of us and what we sent it, in bounded memory and
 * independent of the order the events arrive in: the earliest requests and
 * openings (by time, then place in the file) up to a limit each, and exact
 * counts of all. Whether a request is answered is decided at the end from
 * these, so two halves of a capture merged give exactly the one pass.
 */

/** Requests of one peer kept: a traceroute is 90 probes, an FTP session a few PORTs per file. */
export const MAX_REQUESTS_PER_PEER = 512;
/** Our openings toward one peer kept for matching; past it they are counted as not checked. */
export const MAX_OPENINGS_PER_PEER = 512;
/** Peers followed exactly besides the complaint's own; past it a hash-chosen share of peers (SampledMap). */
export const MAX_PEERS = 1024;

export interface KeptRequest extends Request { ts: number; ev: NetEvent }
export interface KeptOpening extends Opening { ts: number; ev: NetEvent }

/** The `cap` earliest items by event order, and how many were added. */
export class Earliest<T extends { ev: NetEvent }> {
  items: T[] = [];
  count = 0;
  private latestKept: NetEvent | undefined;

  constructor(private readonly cap: number) {}

  /** Adds the item `make` builds for `ev`, unless `ev` comes after all the kept ones with the list full (then only counted). */
  add(ev: NetEvent, make: () => T): void {
    this.count++;
    if (this.latestKept && eventOrder(ev, this.latestKept) > 0) return;
    this.items.push(make());
    if (this.items.length >= 2 * this.cap) this.trim();
  }

  merge(o: Earliest<T>): void {
    this.count += o.count;
    for (const i of o.items) this.items.push(i);
    this.trim();
  }

  /** The kept items in event order. */
  sorted(): T[] {
    this.trim();
    return this.items;
  }

  get complete(): boolean {
    return this.count <= this.cap;
  }

  private trim(): void {
    this.items.sort((a, b) => eventOrder(a.ev, b.ev));
    if (this.items.length < this.cap) return;
    this.items.length = this.cap;
    // Full: nothing later than the last kept can ever be kept again.
    this.latestKept = this.items[this.cap - 1].ev;
  }
}

export class PeerState {
  readonly requests = new Earliest<KeptRequest>(MAX_REQUESTS_PER_PEER);
  readonly openings = new Earliest<KeptOpening>(MAX_OPENINGS_PER_PEER);

  merge(o: PeerState): PeerState {
    this.requests.merge(o.requests);
    this.openings.merge(o.openings);
    return this;
  }
}

/** Peers the complaint names, followed exactly; every other peer in a SampledMap. */
export class PeerTable {
  readonly named = new Map<string, PeerState>();
  readonly others = new SampledMap<PeerState>(MAX_PEERS, (a, b) => a.merge(b));

  // Asked of every request: string comparisons, where a Set would hash each forged address of a flood.
  private readonly isTarget: (a: string | undefined) => boolean;

  constructor(targets: ReadonlySet<string>) {
    this.isTarget = memberTest(targets);
  }

  /** True when nothing about `peer` would be kept: not a named peer, and not in the others' sample. */
  turnsAway(peer: string): boolean {
    return !this.isTarget(peer) && this.others.rejects(peer);
  }

  private state(peer: string): PeerState | undefined {
    if (!this.isTarget(peer)) return this.others.upsert(peer, () => new PeerState());
    let s = this.named.get(peer);
    if (!s) this.named.set(peer, (s = new PeerState()));
    return s;
  }

  request(r: Request, ev: NetEvent): void {
    this.state(r.peer)?.requests.add(ev, () => ({ ...r, ts: ev.ts, ev: slim(ev) }));
  }

  opening(o: Opening, ev: NetEvent): void {
    this.state(o.peer)?.openings.add(ev, () => ({ ...o, ts: ev.ts, ev: slim(ev) }));
  }

  merge(o: PeerTable): void {
    for (const [peer, s] of o.named) {
      const mine = this.named.get(peer);
      if (mine) mine.merge(s);
      else this.named.set(peer, s);
    }
    this.others.merge(o.others);
  }

  /** Every peer followed, the complaint's first; `sampled` says whether other peers were left out. */
  peers(): { entries: Array<[string, PeerState]>; sampled: boolean } {
    return { entries: [...this.named, ...this.others.entries()], sampled: !this.others.exact };
  }
}
