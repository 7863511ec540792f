import { IPPROTO_TCP, IPPROTO_UDP } from '../../../analysis/events/event';
import type { Flow } from '../../../analysis/events/flow-table';
import type { TsharkAnswer, TsharkConversation, TsharkPacket } from '../../helpers/tshark';
import { decimalToNs } from '../../helpers/tshark';
import { decimalUnits, formatSize, nstimeToSec, printfFixed, sizeRange } from '../../helpers/tshark-numbers';

/**
 * Our FlowTable's TCP and UDP conversations against tshark's `-z conv,tcp`
 * and `-z conv,udp` tables for the same capture. The definitions differ in
 * the ways listed in flow-table.differential.test.ts; each difference is
 * mapped here by a stated rule and everything else must be equal.
 */

export interface ConversationComparison {
  /** Conversations compared field by field. */
  matched: number;
  /** Differences accounted for by a definition rule, one line each. */
  explained: string[];
  /** Everything else: must be empty. */
  problems: string[];
}

type Proto = 'tcp' | 'udp';

const endpoint = (addr: string, port: number | undefined): string => `${addr}|${port}`;
const pairKey = (proto: Proto, a: string, b: string): string => `${proto} ${a < b ? `${a} ${b}` : `${b} ${a}`}`;

function flowKey(f: Flow): string | undefined {
  if (f.origPort === undefined || f.respPort === undefined) return undefined;
  if (f.proto !== IPPROTO_TCP && f.proto !== IPPROTO_UDP) return undefined;
  return pairKey(f.proto === IPPROTO_TCP ? 'tcp' : 'udp', endpoint(f.orig, f.origPort), endpoint(f.resp, f.respPort));
}

export function compareConversations(flows: Flow[], answer: TsharkAnswer): ConversationComparison {
  const { packets } = answer;
  const out: ConversationComparison = { matched: 0, explained: [], problems: [] };
  const groups = new Map<string, TsharkConversation[]>();
  for (const c of answer.conversations) {
    const k = pairKey(c.proto, endpoint(c.a, c.aPort), endpoint(c.b, c.bPort));
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const ctx: TimeContext = {
    // tshark's relative times count from frame 1; a frame without a time (pcapng SPB) counts as the epoch.
    baseNs: packets[0]?.tsNs ?? 0n,
    subMicrosecond: packets.some((p) => p.tsNs !== undefined && p.tsNs % 1000n !== 0n),
    timeless: timelessPairs(packets),
  };
  const compared = flows.filter((f) => flowKey(f) !== undefined);
  // Routed packets first: their header's destination may be another conversation's final address.
  const routed = (f: Flow): boolean => f.first.packet !== undefined && packets[f.first.packet - 1]?.routedTo !== undefined;
  for (const f of [...compared.filter(routed), ...compared.filter((g) => !routed(g))]) {
    const key = flowKey(f)!;
    const rows = routed(f) ? undefined : groups.get(key);
    if (rows) {
      groups.delete(key);
      out.matched++;
      out.problems.push(...compareFlow(f, rows, ctx).map((p) => `${describe(f)}: ${p}`));
      continue;
    }
    const rule = explainUnmatched(f, packets, groups, ctx);
    if (rule.problems.length === 0 && rule.explained) out.explained.push(`${describe(f)}: ${rule.explained}`);
    else out.problems.push(...(rule.problems.length ? rule.problems : ['ours only, tshark has no such conversation']).map((p) => `${describe(f)}: ${p}`));
  }
  for (const rows of groups.values()) {
    for (const r of rows) out.problems.push(`${r.proto} ${r.a}:${r.aPort} <-> ${r.b}:${r.bPort}: tshark only (${r.framesAB}+${r.framesBA} frames)`);
  }
  return out;
}

interface TimeContext {
  baseNs: bigint;
  /** Whether the capture has times below a microsecond (ours are microseconds: truncated). */
  subMicrosecond: boolean;
  /** Conversations with a packet that has no time. */
  timeless: Set<string>;
}

function describe(f: Flow): string {
  return `${f.proto === IPPROTO_TCP ? 'tcp' : 'udp'} ${f.orig}:${f.origPort} -> ${f.resp}:${f.respPort}`;
}

function timelessPairs(packets: TsharkPacket[]): Set<string> {
  const s = new Set<string>();
  for (const p of packets) {
    if (p.tsNs !== undefined || !p.src || !p.dst || p.sport === undefined || p.dport === undefined) continue;
    const proto = p.proto === IPPROTO_TCP ? 'tcp' : p.proto === IPPROTO_UDP ? 'udp' : undefined;
    if (proto) s.add(pairKey(proto, endpoint(p.src, p.sport), endpoint(p.dst, p.dport)));
  }
  return s;
}

/** Our microsecond time as the nanosecond interval it stands for, relative to tshark's frame 1. */
function relInterval(us: number, ctx: TimeContext): [bigint, bigint] {
  const lo = BigInt(us) * 1000n - ctx.baseNs;
  return [lo, lo + (ctx.subMicrosecond ? 999n : 0n)];
}

/** Whether tshark's printed value lies between what it would print for our lowest and highest value (equal bounds: exactly). */
function within(printed: string, lo: string, hi: string): boolean {
  const u = decimalUnits(printed);
  return decimalUnits(lo) <= u && u <= decimalUnits(hi);
}

function compareFlow(f: Flow, rowsIn: TsharkConversation[], ctx: TimeContext): string[] {
  const problems: string[] = [];
  const rows = [...rowsIn].sort((x, y) => Number(decimalUnits(x.relStart) - decimalUnits(y.relStart)));
  const orig = endpoint(f.orig, f.origPort);
  // A is the sender of the first packet (in file order) in both tools; with several tshark
  // streams (port reuse) ours is the whole 5-tuple, so its originator is the first stream's A.
  if (endpoint(rows[0].a, rows[0].aPort) !== orig) problems.push(`originator: ours ${orig}, tshark A ${rows[0].a}:${rows[0].aPort}`);
  let pktsOrig = 0;
  let pktsResp = 0;
  const bytesOrig: [number, number] = [0, 0];
  const bytesResp: [number, number] = [0, 0];
  for (const r of rows) {
    const aIsOrig = endpoint(r.a, r.aPort) === orig;
    const [fromOrig, fromResp] = aIsOrig ? [r.bytesAB, r.bytesBA] : [r.bytesBA, r.bytesAB];
    pktsOrig += aIsOrig ? r.framesAB : r.framesBA;
    pktsResp += aIsOrig ? r.framesBA : r.framesAB;
    for (const [acc, text] of [[bytesOrig, fromOrig], [bytesResp, fromResp]] as const) {
      const [lo, hi] = sizeRange(text);
      acc[0] += lo;
      acc[1] += hi;
    }
  }
  if (f.pktsOrig !== pktsOrig || f.pktsResp !== pktsResp) problems.push(`packets ours ${f.pktsOrig}/${f.pktsResp}, tshark ${pktsOrig}/${pktsResp}`);
  for (const [ours, [lo, hi], side] of [[f.bytesOrig, bytesOrig, 'orig'], [f.bytesResp, bytesResp, 'resp']] as const) {
    if (ours < lo || ours > hi) problems.push(`bytes from ${side}: ours ${ours} (${formatSize(ours)}), tshark ${lo === hi ? lo : `${lo}..${hi}`}`);
  }
  const key = flowKey(f)!;
  if (ctx.timeless.has(key)) {
    // A packet without a time: tshark counts it at the epoch, our reader gives it the
    // previous packet's time. Only tshark's side of that rule is checked here.
    const epoch = printfFixed(nstimeToSec(-ctx.baseNs), 9);
    if (rows[0].relStart !== epoch) problems.push(`has a timeless packet, so tshark's start should be the epoch (${epoch}), is ${rows[0].relStart}`);
    return problems;
  }
  // tshark prints the start as %14.9f and the duration as %12.4f of doubles made
  // from nanosecond times; we print ours the same way and compare the text.
  const [s0, s1] = relInterval(f.firstTs, ctx);
  const start = [printfFixed(nstimeToSec(s0), 9), printfFixed(nstimeToSec(s1), 9)] as const;
  if (!within(rows[0].relStart, ...start)) problems.push(`start: ours ${f.firstTs} µs prints as ${start[0]}, tshark ${rows[0].relStart}`);
  const [e0, e1] = relInterval(f.lastTs, ctx);
  if (rows.length === 1) {
    const lo = printfFixed(nstimeToSec(e0) - nstimeToSec(s1), 4);
    const hi = printfFixed(nstimeToSec(e1) - nstimeToSec(s0), 4);
    if (!within(rows[0].duration, lo, hi)) problems.push(`duration: ours ${lo}, tshark ${rows[0].duration}`);
  } else {
    // Several tshark streams (port reuse): our end is the latest of their ends.
    const ends = rows.map((r) => {
      const rs = nstimeToSec(decimalToNs(r.relStart));
      return { r, lo: printfFixed(nstimeToSec(e0) - rs, 4), hi: printfFixed(nstimeToSec(e1) - rs, 4) };
    });
    if (ends.some(({ r, hi }) => decimalUnits(r.duration) > decimalUnits(hi))) problems.push('end: a tshark stream ends after ours');
    if (!ends.some(({ r, lo, hi }) => within(r.duration, lo, hi))) problems.push('end: no tshark stream ends where ours does');
  }
  return problems;
}

/**
 * A conversation of ours that tshark does not list is accounted for only as
 * a single packet whose frame tshark treats differently by rule:
 *  - its TCP/UDP header is incomplete (a first fragment holding part of it),
 *    so tshark's dissector stops before the conversation tap;
 *  - it carries an IPv6 type-0 routing header with segments left, so tshark's
 *    conversation endpoint is the route's final address; that conversation must
 *    then equal ours with the final address as responder.
 */
function explainUnmatched(f: Flow, packets: TsharkPacket[], groups: Map<string, TsharkConversation[]>, ctx: TimeContext): { explained?: string; problems: string[] } {
  const frame = f.pktsOrig + f.pktsResp === 1 && f.first.packet !== undefined ? packets[f.first.packet - 1] : undefined;
  if (!frame) return { problems: [] };
  const proto = f.proto === IPPROTO_TCP ? 'TCP' : 'UDP';
  if (frame.cutIn === proto) return { explained: `frame ${frame.number}: ${proto} header incomplete (tshark: cut in ${proto}), not in tshark's table`, problems: [] };
  if (frame.routedTo) {
    const routed: Flow = { ...f, resp: frame.routedTo };
    const key = flowKey(routed)!;
    const rows = groups.get(key);
    if (!rows) return { problems: [`frame ${frame.number} is routed to ${frame.routedTo}, but tshark has no conversation with it`] };
    groups.delete(key);
    const problems = compareFlow(routed, rows, ctx);
    return { explained: `frame ${frame.number}: routing header, tshark's endpoint is the final address ${frame.routedTo}`, problems };
  }
  return { problems: [] };
}
