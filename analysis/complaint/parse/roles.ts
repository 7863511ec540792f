import type { NetEvent } from '../../events/event';
import { bogonReason, inCidrs } from '../../util/net';
import { notAHost } from '../../util/prefix-edges';
import type { AddressMention } from '../addresses';
import { addUnique, type ReportFacts } from '../facts';

export interface Roles {
  accused: string[];
  targets: string[];
  /** Addresses with no clear role. */
  others: string[];
}

/**
 * Who is accused and who was targeted, from (strongest first) structured
 * reports, the words around each address, "X -> Y" arrows and quoted log
 * lines. A quoted alert's source is accused when nothing stronger says
 * otherwise; its other side is then the complainant's.
 */
export function decideRoles(
  subject: AddressMention[],
  body: AddressMention[],
  reports: ReportFacts[],
  events: NetEvent[],
): Roles {
  interface Score { acc: number; tgt: number; src: number; dst: number; subject: boolean; first: number }
  const scores = new Map<string, Score>();
  let order = 0;
  const get = (a: string): Score => {
    let s = scores.get(a);
    if (!s) { s = { acc: 0, tgt: 0, src: 0, dst: 0, subject: false, first: order++ }; scores.set(a, s); }
    return s;
  };
  const structured: string[] = [];
  const structuredTargets: string[] = [];
  for (const r of reports) {
    for (const a of r.accused) { get(a); addUnique(structured, a); }
    for (const t of r.targets) { get(t); addUnique(structuredTargets, t); }
  }
  for (const m of subject) {
    const s = get(m.addr);
    s.subject = true;
    s.acc += m.accused * 2;
    s.tgt += m.target * 2;
    if (m.arrow === 'src') s.src += 2;
    if (m.arrow === 'dst') s.dst += 2;
  }
  const pairs: Array<[string, string]> = [];
  for (const m of body) {
    const s = get(m.addr);
    s.acc += m.accused;
    s.tgt += m.target;
    if (m.arrow === 'src') { s.src++; if (m.peer) pairs.push([m.addr, m.peer]); }
    if (m.arrow === 'dst') s.dst++;
  }
  for (const ev of events.slice(0, 10_000)) {
    if (ev.src) { get(ev.src).src++; }
    if (ev.dst) { get(ev.dst).dst++; }
    if (ev.src && ev.dst) pairs.push([ev.src, ev.dst]);
  }

  const accused: string[] = [...structured];
  // Words first: an address the prose accuses more than it calls a target.
  for (const [a, s] of scores) if (s.acc > s.tgt && !structuredTargets.includes(a)) addUnique(accused, a);
  if (accused.length === 0) {
    // The subject names the accused when it names one address without calling it a target.
    for (const [a, s] of scores) if (s.subject && s.tgt === 0 && s.dst <= s.src) addUnique(accused, a);
  }
  if (accused.length === 0) {
    // Quoted alerts and arrows: the sending side.
    for (const [a, s] of scores) if (s.src > s.dst && s.tgt === 0) addUnique(accused, a);
  }
  if (accused.length === 0) {
    // Nothing decisive: the address the words accuse most, even if it is also called a target.
    const best = Math.max(0, ...[...scores.values()].map((s) => s.acc));
    if (best > 0) for (const [a, s] of scores) if (s.acc === best) addUnique(accused, a);
  }
  if (accused.length === 0) {
    const unclassified = [...scores].filter(([a, s]) => s.tgt === 0 && s.dst === 0 && !structuredTargets.includes(a)).map(([a]) => a);
    if (unclassified.length > 0 && unclassified.length <= 3) accused.push(...unclassified);
    else if (unclassified.length > 3) accused.push(unclassified[0]);
  }
  const targets: string[] = [];
  for (const t of structuredTargets) if (!accused.includes(t)) addUnique(targets, t);
  for (const [a, s] of scores) if (!accused.includes(a) && s.tgt > s.acc) addUnique(targets, a);
  // The far side of an arrow or alert from (or to) an accused address is the complainant's.
  for (const [src, dst] of pairs) {
    if (accused.includes(src) && !accused.includes(dst)) addUnique(targets, dst);
    if (accused.includes(dst) && !accused.includes(src)) addUnique(targets, src);
  }
  const others = [...scores.keys()].filter((a) => !accused.includes(a) && !targets.includes(a));
  const byFirst = (a: string, b: string): number => scores.get(a)!.first - scores.get(b)!.first;
  const structuredFirst = (list: string[]): string[] => {
    const s = list.filter((a) => structured.includes(a));
    return [...s, ...list.filter((a) => !structured.includes(a)).sort(byFirst)];
  };
  return { accused: structuredFirst(accused), targets: targets.sort(byFirst), others: others.sort(byFirst) };
}

/** A complaint that names more addresses than this with no role has pasted a log: they are not all the complainant's hosts. */
const MAX_IMPLIED_TARGETS = 8;

export interface AssignedRoles extends Roles {
  warnings: string[];
}

/**
 * The accused and targets as the complaint gives them (decideRoles), then
 * narrowed to our networks: the accused are the addresses inside `ourNets`.
 * Warns when there is no accused, or it cannot be one (a bogon, the target's /24).
 */
export function assignRoles(subject: AddressMention[], body: AddressMention[], reports: ReportFacts[], events: NetEvent[], ourNets?: string[]): AssignedRoles {
  const warnings: string[] = [];
  const roles = decideRoles(subject, body, reports, events);
  // A network or broadcast address (of our prefixes, else of the accused host's /24) or a multicast group is
  // where traffic went, not a host: neither accused nor the complainant ("to the broadcast address 198.51.100.255").
  const nets = ourNets ?? [];
  const near = roles.accused.filter((a) => notAHost(a, nets) === null);
  const notHosts: string[] = [];
  const onlyHosts = (list: string[], warn: (a: string) => boolean): string[] => list.filter((a) => {
    const why = notAHost(a, nets, near);
    if (!why) return true;
    if (warn(a) && !notHosts.includes(a)) {
      notHosts.push(a);
      warnings.push(`${a} is ${why}: taken as neither the accused nor the complainant`);
    }
    return false;
  });
  let accused = onlyHosts(roles.accused, () => true);
  let targets = onlyHosts(roles.targets, () => true);
  const others = onlyHosts(roles.others, (a) => nets.length > 0 && inCidrs(a, nets));
  // A complaint names the accused and, around it, its own hosts: with no word marking a target,
  // the other addresses it mentions are the complainant's side (a handful, not a pasted log).
  if (targets.length === 0 && others.length > 0 && others.length <= MAX_IMPLIED_TARGETS) targets = [...others];

  if (ourNets && ourNets.length > 0) {
    const everything = [...accused, ...targets, ...others];
    const ours = everything.filter((a, i) => everything.indexOf(a) === i && inCidrs(a, ourNets));
    if (ours.length > 0) {
      accused = ours;
      targets = targets.filter((t) => !ours.includes(t));
    } else if (everything.length > 0) {
      warnings.push(`none of the complaint's addresses (${everything.slice(0, 5).join(', ')}) is in our networks (${ourNets.join(', ')})`);
    }
  }
  if (accused.length === 0) warnings.push('no accused IP address found in the complaint');
  for (const a of accused) {
    const why = bogonReason(a);
    if (why) warnings.push(`accused address ${a} is ${why}`);
    else if (targets.some((t) => sameLan(a, t))) {
      warnings.push(`accused address ${a} is in the same /24 as a target: it may be the complainant's own LAN`);
    }
  }
  return { accused, targets, others: [...roles.others, ...notHosts.filter((a) => !roles.others.includes(a))], warnings };
}

function sameLan(a: string, b: string): boolean {
  if (a.includes(':') || b.includes(':')) return false;
  return a.split('.').slice(0, 3).join('.') === b.split('.').slice(0, 3).join('.');
}
