import { z } from 'zod';
import { inCidrs, parseAddress } from '../util/net';

/** One service a host of ours offers: a port, and the transport when the inventory says it. */
export interface InventoryService {
  port: number;
  proto?: 'tcp' | 'udp';
}

/** One of our hosts (or blocks) and what it runs: "198.51.100.10: web server, 80 and 443". */
export interface InventoryEntry {
  /** An address or a CIDR block. */
  match: string;
  /** What the host is, in the operator's words: "web server", "resolver", "customer VPS". */
  role: string;
  /** Ports the host serves: traffic FROM these ports is the host answering its clients. */
  servicePorts: number[];
  /** The same ports with their transport, when it was written ("53/udp"). */
  services?: InventoryService[];
}

/** Our own hosts and their roles; the most specific matching entry wins. */
export type Inventory = InventoryEntry[];

export interface InventoryParse {
  inventory: Inventory;
  /** Lines or entries that could not be read, with their line number. */
  warnings: string[];
}

/** A single port, a port with its transport, or a short range: "80", "53/udp", "8000-8010". */
const PORT_TOKEN = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp))?$/i;
/** Ranges longer than this are not expanded into servicePorts (a typo, not a service list). */
const MAX_RANGE = 1024;

function portsOf(token: string): InventoryService[] | null {
  const m = PORT_TOKEN.exec(token);
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] !== undefined ? Number(m[2]) : from;
  if (from < 1 || to > 65535 || to < from || to - from > MAX_RANGE) return null;
  const proto = m[3]?.toLowerCase() as 'tcp' | 'udp' | undefined;
  const out: InventoryService[] = [];
  for (let p = from; p <= to; p++) out.push(proto ? { port: p, proto } : { port: p });
  return out;
}

/** An address or CIDR block our net helpers can match ("198.51.100.0/28", "2001:db8::1"). */
export function isMatchable(match: string): boolean {
  const [addr, len, extra] = match.split('/');
  if (extra !== undefined || !parseAddress(addr)) return false;
  if (len === undefined) return true;
  if (!/^\d{1,3}$/.test(len)) return false;
  return Number(len) <= (addr.includes(':') ? 128 : 32);
}

function entryOf(match: string, role: string, services: InventoryService[]): InventoryEntry {
  const ports = [...new Set(services.map((s) => s.port))].sort((a, b) => a - b);
  const entry: InventoryEntry = { match, role, servicePorts: ports };
  if (services.some((s) => s.proto)) entry.services = services;
  return entry;
}

/**
 * The text format, one host per line, "#" starts a comment:
 *
 *     198.51.100.10     web server   80,443
 *     198.51.100.0/28   resolver     53/udp
 *     198.51.100.10:    web server, 80 and 443
 *     198.51.100.120    customer VPS
 *
 * The first field is the address or block; the trailing port tokens (commas,
 * spaces and "and" between them) are the services; the words between are the role.
 */
export function parseInventoryText(text: string): InventoryParse {
  const inventory: Inventory = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (!line) return;
    const [first, ...rest] = line.split(/\s+/);
    const match = first.replace(/[:,;]+$/, '');
    if (!isMatchable(match)) {
      warnings.push(`inventory line ${i + 1}: "${first}" is not an address or CIDR block`);
      return;
    }
    const tokens = rest.join(' ').split(/[\s,;]+/).filter(Boolean);
    const services: InventoryService[] = [];
    let end = tokens.length;
    while (end > 0) {
      const t = tokens[end - 1];
      if (/^(and|ports?|on)$/i.test(t) && services.length > 0) { end--; continue; }
      const ps = portsOf(t);
      if (!ps) break;
      services.unshift(...ps);
      end--;
    }
    // "ports" / "on" before the list belong to the list, not the role.
    while (end > 0 && /^(ports?|on|:)$/i.test(tokens[end - 1])) end--;
    const role = tokens.slice(0, end).join(' ').replace(/[:,;]+$/, '').trim();
    inventory.push(entryOf(match, role || 'host', services));
  });
  return { inventory, warnings };
}

const portValue = z.union([z.number().int(), z.string()]);
const jsonEntry = z.object({
  match: z.string().optional(),
  address: z.string().optional(),
  cidr: z.string().optional(),
  role: z.string().optional(),
  servicePorts: z.array(portValue).optional(),
  ports: z.array(portValue).optional(),
});
const jsonDoc = z.union([z.array(z.unknown()), z.object({ hosts: z.array(z.unknown()) }), z.object({ inventory: z.array(z.unknown()) })]);

/**
 * The JSON format: an array of `{match, role, servicePorts}` (`address` or
 * `cidr` for `match`, `ports` for `servicePorts` also accepted; ports may be
 * numbers or "53/udp" strings), bare or under "hosts" / "inventory".
 */
export function parseInventoryJson(text: string): InventoryParse {
  const warnings: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { inventory: [], warnings: [`inventory: not valid JSON: ${(e as Error).message}`] };
  }
  const top = jsonDoc.safeParse(doc);
  if (!top.success) return { inventory: [], warnings: ['inventory: expected an array of {match, role, servicePorts} (or {"hosts": [...]})'] };
  const list = Array.isArray(top.data) ? top.data : 'hosts' in top.data ? top.data.hosts : top.data.inventory;
  const inventory: Inventory = [];
  list.forEach((raw, i) => {
    const r = jsonEntry.safeParse(raw);
    if (!r.success) { warnings.push(`inventory entry ${i + 1}: not an object with match, role and servicePorts`); return; }
    const match = (r.data.match ?? r.data.address ?? r.data.cidr ?? '').trim();
    if (!isMatchable(match)) { warnings.push(`inventory entry ${i + 1}: "${match}" is not an address or CIDR block`); return; }
    const services: InventoryService[] = [];
    for (const p of r.data.servicePorts ?? r.data.ports ?? []) {
      const ps = portsOf(String(p).trim());
      if (ps) services.push(...ps);
      else warnings.push(`inventory entry ${i + 1}: "${p}" is not a port`);
    }
    inventory.push(entryOf(match, r.data.role?.trim() || 'host', services));
  });
  return { inventory, warnings };
}

/** Either format, recognised by content: JSON when it starts with "[" or "{". */
export function parseInventory(text: string): InventoryParse {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  return t.startsWith('[') || t.startsWith('{') ? parseInventoryJson(t) : parseInventoryText(t);
}

function prefixLength(match: string): number {
  const [addr, len] = match.split('/');
  if (len !== undefined) return Number(len);
  return addr.includes(':') ? 128 : 32;
}

/** What the inventory says about one address: the most specific entry, or nothing. */
export interface HostContext {
  address: string;
  entry?: InventoryEntry;
  role?: string;
  servicePorts: number[];
  services: InventoryService[];
  /** Does the host serve `port` (and `proto`, when the inventory names one)? */
  serves(port: number, proto?: 'tcp' | 'udp'): boolean;
}

/**
 * The host-role fact for one address, for the first look and for the full
 * analysis (the lead may put it in the DetectContext as `hostRole`).
 */
export function inventoryContext(inventory: Inventory | undefined, address: string): HostContext {
  let best: InventoryEntry | undefined;
  for (const e of inventory ?? []) {
    if (!inCidrs(address, [e.match])) continue;
    if (!best || prefixLength(e.match) > prefixLength(best.match)) best = e;
  }
  const services: InventoryService[] = best ? best.services ?? best.servicePorts.map((port) => ({ port })) : [];
  return {
    address,
    entry: best,
    role: best?.role,
    servicePorts: best?.servicePorts ?? [],
    services,
    serves: (port, proto) => services.some((s) => s.port === port && (!s.proto || !proto || s.proto === proto)),
  };
}

/** One line per entry, as the text format writes it. */
export function formatInventoryEntry(e: InventoryEntry): string {
  const ports = (e.services ?? e.servicePorts.map((port): InventoryService => ({ port }))).map((s) => (s.proto ? `${s.port}/${s.proto}` : String(s.port)));
  return `${e.match}  ${e.role}${ports.length ? `  ${ports.join(',')}` : ''}`;
}

/** The role as the inventory gives it, for a finding: the same facts from the first look and from the full analysis. */
export interface HostRoleFacts {
  address: string;
  role: string;
  servicePorts: number[];
  match: string;
  /** The services as written: "80/tcp", "443". */
  services: string[];
}

/** The host's role, or undefined when the inventory has no entry for it. */
export function hostRoleFacts(h: HostContext): HostRoleFacts | undefined {
  if (!h.entry) return undefined;
  return {
    address: h.address, role: h.entry.role, servicePorts: h.servicePorts, match: h.entry.match,
    services: h.services.map((s) => (s.proto ? `${s.port}/${s.proto}` : String(s.port))),
  };
}
