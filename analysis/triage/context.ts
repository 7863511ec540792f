import type { Complaint } from '../complaint/complaint';
import type { Finding } from '../detect/detector';
import { IPPROTO_TCP, IPPROTO_UDP, type NetEvent } from '../events/event';
import { inventoryContext, type HostContext, type Inventory } from './inventory';

/** Server ports we assume a host of ours may answer from when the inventory does not say. */
export const COMMON_SERVICE_PORTS = new Set([21, 22, 25, 53, 80, 110, 123, 143, 443, 465, 587, 853, 993, 995, 8080, 8443]);

/** Everything a first-look check may use: the complaint alone, plus what we know of our own hosts. */
export interface TriageContext {
  complaint: Complaint;
  /** Addresses we answer for: the complaint's addresses inside our networks (all accused when none given). */
  accused: string[];
  /** The complainant's addresses: as named, else the other ends of the quoted lines. */
  targets: string[];
  ourNets: string[];
  inventory: Inventory;
  /** Quoted lines (the complainant's own log) sent BY an accused address. */
  fromAccused: NetEvent[];
  /** Quoted lines sent TO an accused address. */
  toAccused: NetEvent[];
  /** Source ports the complaint attributes to the accused: stated, or in quoted lines from them. */
  sourcePorts: number[];
  /** The inventory's word on one address. */
  host(addr: string): HostContext;
  /** Is `port` a service of `addr`: the inventory's list when the host is in it, else the common server ports. */
  isServicePort(addr: string, port: number, proto?: 'tcp' | 'udp'): boolean;
}

/** One first-look check: a pure function of the complaint, like a detector of analysis/detect. */
export interface TriageCheck {
  id: string;
  check(ctx: TriageContext): Finding[];
}

export function protoWord(proto: number | undefined): 'tcp' | 'udp' | undefined {
  return proto === IPPROTO_TCP ? 'tcp' : proto === IPPROTO_UDP ? 'udp' : undefined;
}

/** Build the context; `accused` and `targets` come from the caller (first-look decides them). */
export function triageContext(complaint: Complaint, accused: string[], targets: string[], ourNets: string[], inventory: Inventory): TriageContext {
  const acc = new Set(accused);
  const fromAccused = complaint.quotedEvents.filter((e) => e.src !== undefined && acc.has(e.src));
  const toAccused = complaint.quotedEvents.filter((e) => e.dst !== undefined && acc.has(e.dst));
  const sourcePorts = [...new Set([
    ...fromAccused.map((e) => e.sport).filter((p): p is number => p !== undefined),
    ...complaint.ports.source,
  ])].sort((a, b) => a - b);
  const hosts = new Map<string, HostContext>();
  const host = (addr: string): HostContext => {
    let h = hosts.get(addr);
    if (!h) { h = inventoryContext(inventory, addr); hosts.set(addr, h); }
    return h;
  };
  return {
    complaint, accused, targets, ourNets, inventory, fromAccused, toAccused, sourcePorts, host,
    isServicePort(addr, port, proto) {
      const h = host(addr);
      return h.entry ? h.serves(port, proto) : COMMON_SERVICE_PORTS.has(port);
    },
  };
}
