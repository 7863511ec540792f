/**
 * NetFlow/IPFIX records as nfdump prints them from nfcapd files (nfdump(1) -o):
 *
 *   line/long/extended  "Date first seen  Duration Proto  Src IP Addr:Port  Dst IP Addr:Port  [Flags Tos] Packets Bytes [pps bps Bpp] Flows"
 *                       (1.7 writes the duration as HH:MM:SS.mmm, 1.6 as seconds; IPv6 addresses are
 *                       shortened with ".." unless the mode ends in 6, and their port follows a dot)
 *   the NSEL build's default "Event time  Event XEvent Proto ... In Byte Out Byte" (no packets, and
 *                       no time for plain NetFlow records: nfdump prints 1970-01-01)
 *   csv                 header "ts,te,td,sa,da,sp,dp,pr,flg,...,ipkt,ibyt,opkt,obyt,..." (times to the second)
 *   pipe                "af|first ms|last ms|proto|src words|sport|dst words|dport|...|flags|tos|pkts|bytes"
 *   json                one object per record, spread over lines ("first" : "2011-03-18T19:06:07.096")
 *
 * Every record is one direction of a flow unless the exporter sent biflows
 * (opkt/out_packets filled): the other direction is another record, so the
 * reverse counts are unknown here, not zero (FlowRecordInfo.totalsOnly). TCP
 * flags are the OR over the record's packets (flow.tcpFlags, never the event's
 * tcpFlags, which would claim one packet carried them all).
 *
 * nfdump prints local times of the host that ran it, without a zone (pipe's
 * epoch milliseconds excepted): they are resolved against the reference and
 * marked inferred. Counts of sampled records were already scaled up by nfcapd.
 */
import type { FlowRecordInfo, NetEvent } from '../../events/event';
import { IPPROTO_ICMP, IPPROTO_ICMPV6 } from '../../events/event';
import type { LineContext, LineParser } from '../reader';
import { baseEvent, isIP, isIPv4, localTime, num, portNumber, protoNumber, setAddrs, type LineAt } from './common';
import { fractionToMicros } from '../../util/time';

const KEY = 'nfdump';

interface State {
  /** Columns right of the destination in the fixed-width layout, from its header. */
  fixed?: string[];
  csv?: string[];
  json?: { lines: string[]; at: LineAt };
  warned: Set<string>;
}

/** A record's fields after the layout is taken apart. */
interface Rec {
  time: string;
  end?: string;
  durationUs?: number;
  proto: string;
  src: string;
  dst: string;
  sport?: string;
  dport?: string;
  icmp?: { type: number; code: number };
  pkts?: string;
  bytes?: string;
  opkts?: string;
  obytes?: string;
  flags?: string;
  tos?: string;
  dir?: string;
  sampled?: boolean;
  flows?: string;
  /** Exact epoch microseconds (pipe), instead of local `time`/`end`. */
  epochUs?: [number, number];
}

const CSV_DEFAULT = 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc'.split(',');
const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?`;
const LOCAL = new RegExp(`^${DATE}$`);
const DURATION = String.raw`(?:\d+d )?\d{2}:\d{2}:\d{2}\.\d{3}|\d+\.\d{3}`;
const FIXED = new RegExp(String.raw`^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})\s+(${DURATION})\s+(\S+)\s+(\S+)\s+(->|<->|<-)?\s*(\S+)(.*)$`);
const NSEL = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(->|<->|<-)\s+(\S+)\s+(\S+)\s+(?:->|<->|<-)\s+(\S+)(.*)$/;
const CSV_ROW = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?,\d{4}-\d{2}-\d{2} [\d:.]+,[\d.]+,/;
const PIPE_ROW = /^(?:2|10)\|\d{10,13}\|\d{10,13}\|\d{1,3}\|/;
const JSON_KEY = /^\s*"(type|sampled|export_sysid|first|last|received|in_packets|in_bytes|out_packets|out_bytes|proto|tcp_flags|src_port|dst_port|icmp_type|icmp_code|src_tos|dst_tos|src4_addr|dst4_addr|src6_addr|dst6_addr|input_snmp|output_snmp|src_mask|dst_mask|src_net|dst_net|fwd_status|direction|ip4_router|ip6_router|label|aggr_flows|src_as|dst_as|bgp4_next_hop|ip4_next_hop)" : /;
/** Header, trailer and JSON punctuation lines: neither records nor evidence against the format. */
const NEUTRAL = /^(?:Summary(?::| *$)|Time window:|Total flows processed|Sys: |flows,bytes,packets|\d+(?:,\d+){5}$|No matching flows|[[\]{}],?\s*$|\}\]\s*$|Aggregated flows|Top \d+ )/;

export const nfdumpParser: LineParser = {
  format: 'nfdump',
  match(line) {
    if (/^(?:Date (?:first seen|flow start)\s+Duration\s+Proto|Event time\s+Event\s+XEvent)/.test(line) || line.startsWith('ts,te,td,sa,da,')) return 1;
    if (NEUTRAL.test(line.trim())) return -1;
    const f = FIXED.exec(line);
    // nfdump joins an IPv4 port with ":" and an IPv6 port with "."; argus joins both with "." (its own reader).
    if (f) return /:\d+(?:\.\d+)?$/.test(f[4]) || /:.*\.\d+$/.test(f[4]) ? 1 : 0.5;
    if (NSEL.test(line)) return 0.95;
    if (CSV_ROW.test(line)) return line.split(',').length >= 12 ? 0.95 : 0.3;
    if (PIPE_ROW.test(line)) return line.split('|').length >= 22 ? 0.95 : 0.3;
    if (JSON_KEY.test(line)) return /"type" : "FLOW"/.test(line) ? 1 : 0.9;
    return 0;
  },
  parse(line, at, ctx) {
    const st = state(ctx);
    if (st.json) return jsonLine(st, line, at, ctx);
    const t = line.trim();
    if (t === '{') {
      st.json = { lines: [t], at };
      return null;
    }
    if (t.startsWith('{')) return jsonRecord(t.replace(/,\s*$/, ''), at, ctx);
    if (/^Date (?:first seen|flow start)/.test(line)) {
      st.fixed = header(line.slice(line.search(/Dst IP Addr(?::Port)?/)).replace(/^Dst IP Addr(?::Port)?/, ''));
      return null;
    }
    if (line.startsWith('Event time')) {
      st.fixed = header(line.slice(line.lastIndexOf('Addr:Port') + 9));
      return null;
    }
    if (t.startsWith('ts,te,td,')) {
      st.csv = t.split(',');
      return null;
    }
    if (NEUTRAL.test(t)) return null;
    if (PIPE_ROW.test(t)) return pipe(t, line, at, ctx);
    if (CSV_ROW.test(t)) return csv(st, t, line, at, ctx);
    const n = NSEL.exec(line);
    if (n) return nsel(st, n, line, at, ctx);
    const f = FIXED.exec(line);
    if (f) return fixed(st, f, line, at, ctx);
    return null;
  },
  pending(ctx) {
    return (ctx.state[KEY] as State | undefined)?.json?.at;
  },
};

function state(ctx: LineContext): State {
  let s = ctx.state[KEY] as State | undefined;
  if (!s) {
    s = { warned: new Set() };
    ctx.state[KEY] = s;
  }
  return s;
}

/** Column labels right of the destination: single words except nfdump's two-word byte and packet labels. */
function header(rest: string): string[] {
  return rest.replace(/\b(In|Out) (Byte|Pkt)\b/g, '$1$2').trim().split(/\s+/).filter(Boolean);
}

/** Split the counters right of the destination, joining nfdump's scaled numbers ("1.2 M") back into one token. */
function counterTokens(rest: string): string[] {
  const toks = rest.trim().split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (const t of toks) {
    if (/^[KMGT]$/.test(t) && out.length && /^\d+(?:\.\d+)?$/.test(out[out.length - 1])) out[out.length - 1] += t;
    else out.push(t);
  }
  return out;
}

const DEFAULT_FIXED: Record<number, string[]> = {
  3: ['Packets', 'Bytes', 'Flows'],
  5: ['Flags', 'Tos', 'Packets', 'Bytes', 'Flows'],
  8: ['Flags', 'Tos', 'Packets', 'Bytes', 'pps', 'bps', 'Bpp', 'Flows'],
};

function fixed(st: State, m: RegExpExecArray, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const toks = counterTokens(m[7]);
  const cols = st.fixed && st.fixed.length === toks.length ? st.fixed : DEFAULT_FIXED[toks.length];
  if (!cols) return weird(ctx, at, 'nfdump_bad_row', `nfdump row with ${toks.length} counter columns, layout not known`);
  const get = (name: string): string | undefined => {
    const i = cols.indexOf(name);
    return i < 0 ? undefined : toks[i];
  };
  const proto = m[3];
  const s = addrPort(m[4], proto);
  const d = addrPort(m[6], proto);
  const rec: Rec = {
    time: m[1], durationUs: durationUs(m[2]), proto, src: s.addr, sport: s.port, dst: d.addr, dport: d.port, icmp: d.icmp,
    pkts: get('Packets'), bytes: get('Bytes'), flags: get('Flags'), tos: get('Tos'), dir: m[5] ?? '->', flows: get('Flows'),
  };
  return build(st, rec, line, at, ctx);
}

function nsel(st: State, m: RegExpExecArray, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const toks = counterTokens(m[10]);
  const cols = st.fixed && st.fixed.length === toks.length ? st.fixed : ['InByte', 'OutByte'];
  const get = (name: string): string | undefined => {
    const i = cols.indexOf(name);
    return i < 0 ? undefined : toks[i];
  };
  const s = addrPort(m[5], m[4]);
  const d = addrPort(m[7], m[4]);
  warnOnce(st, ctx, at, 'nfdump_no_packets', "nfdump's NSEL default layout has bytes but no packet counts: export with -o long, -o csv or -o json");
  const rec: Rec = {
    time: m[1], proto: m[4], src: s.addr, sport: s.port, dst: d.addr, dport: d.port, icmp: d.icmp,
    bytes: get('InByte'), obytes: get('OutByte'), dir: m[6],
  };
  return build(st, rec, line, at, ctx);
}

function csv(st: State, t: string, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const f = t.split(',').map((x) => x.trim());
  const cols = st.csv ?? CSV_DEFAULT;
  const get = (name: string): string | undefined => {
    const i = cols.indexOf(name);
    return i < 0 || f[i] === undefined || f[i] === '' ? undefined : f[i];
  };
  const td = num(get('td'));
  const rec: Rec = {
    time: get('ts') ?? '', end: get('te'), durationUs: td === undefined ? undefined : Math.round(td * 1e6),
    proto: get('pr') ?? '', src: get('sa') ?? '', dst: get('da') ?? '', sport: get('sp'), dport: get('dp'),
    pkts: get('ipkt'), bytes: get('ibyt'), opkts: get('opkt'), obytes: get('obyt'), flags: get('flg'), tos: get('stos'),
  };
  return build(st, rec, line, at, ctx);
}

function pipe(t: string, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const f = t.split('|');
  if (f.length < 22) return weird(ctx, at, 'nfdump_bad_row', 'nfdump pipe row with fewer than 22 fields');
  const v6 = f[0] === '10';
  const addr = (w: string[]): string => (v6 ? v6Words(w) : v4Word(Number(w[3])));
  const rec: Rec = {
    time: '', epochUs: [Number(f[1]) * 1000, Number(f[2]) * 1000], proto: f[3], src: addr(f.slice(4, 8)), sport: f[8],
    dst: addr(f.slice(9, 13)), dport: f[13], flags: `0x${Number(f[18]).toString(16)}`, tos: f[19], pkts: f[20], bytes: f[21],
  };
  return build(state(ctx), rec, line, at, ctx);
}

function v4Word(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function v6Words(w: string[]): string {
  const groups: string[] = [];
  for (const x of w) {
    const n = Number(x) >>> 0;
    groups.push((n >>> 16).toString(16), (n & 0xffff).toString(16));
  }
  return groups.join(':');
}

function jsonLine(st: State, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const p = st.json!;
  const t = line.trim();
  p.lines.push(t);
  if (!t.startsWith('}')) {
    // A record is some forty lines; a runaway one is a file that is not what it seemed.
    if (p.lines.length > 500) {
      st.json = undefined;
      return weird(ctx, p.at, 'nfdump_bad_json', 'nfdump JSON record without its closing brace');
    }
    return null;
  }
  st.json = undefined;
  // The last record closes the array on its own line: "}]".
  return jsonRecord(p.lines.join('\n').replace(/\]\s*$/, '').replace(/,\s*$/, ''), p.at, ctx);
}

function jsonRecord(text: string, at: LineAt, ctx: LineContext): NetEvent | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return weird(ctx, at, 'nfdump_bad_json', 'nfdump JSON record does not parse');
  }
  if (typeof o !== 'object' || o === null) return null;
  const s = (k: string): string | undefined => (o[k] === undefined || o[k] === null || o[k] === '' ? undefined : String(o[k]));
  const proto = s('proto') ?? '';
  const it = num(s('icmp_type'));
  const rec: Rec = {
    time: s('first') ?? '', end: s('last'), proto, src: s('src4_addr') ?? s('src6_addr') ?? '', dst: s('dst4_addr') ?? s('dst6_addr') ?? '',
    sport: s('src_port'), dport: s('dst_port'), icmp: it !== undefined ? { type: it, code: num(s('icmp_code')) ?? 0 } : undefined,
    pkts: s('in_packets'), bytes: s('in_bytes'), opkts: s('out_packets'), obytes: s('out_bytes'), flags: s('tcp_flags'),
    tos: s('src_tos'), sampled: o.sampled === 1 || o.sampled === true, flows: s('aggr_flows'),
  };
  return build(state(ctx), rec, JSON.stringify(o), at, ctx);
}

/** "1.2.3.4:80", "fe80::1.5353", "1.2.3.4:8.0" (ICMP type.code), "2001:48..006::63.128.0" (shortened v6). */
function addrPort(tok: string, proto: string): { addr: string; port?: string; icmp?: { type: number; code: number } } {
  const icmp = /^icmp/i.test(proto);
  if (isIPv4(tok) || (!tok.includes('.') && isIP(tok))) return { addr: tok };
  const colon = tok.indexOf(':');
  const dot = colon > 0 && isIPv4(tok.slice(0, colon)) ? colon : -1;
  let addr: string;
  let port: string;
  if (dot > 0) {
    addr = tok.slice(0, dot);
    port = tok.slice(dot + 1);
  } else {
    const m = icmp ? /^(.*?)\.(\d+\.\d+)$/.exec(tok) : null;
    const cut = m ? m[1].length : tok.lastIndexOf('.');
    if (cut < 0) return { addr: tok };
    addr = tok.slice(0, cut);
    port = tok.slice(cut + 1);
  }
  const tc = /^(\d+)\.(\d+)$/.exec(port);
  if (tc) return { addr, icmp: { type: Number(tc[1]), code: Number(tc[2]) } };
  return { addr, port };
}

function durationUs(s: string): number | undefined {
  const m = /^(?:(\d+)d )?(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(s);
  if (m) return ((Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1_000_000 + Number(m[5]) * 1000;
  const n = num(s);
  return n === undefined ? undefined : Math.round(n * 1e6);
}

const UNIT: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A count as nfdump printed it: plain, or scaled and rounded ("1.2M" once joined) unless run with -N. */
function count(st: State, ctx: LineContext, at: LineAt, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([KMGT])$/.exec(s);
  if (!m) return num(s);
  warnOnce(st, ctx, at, 'nfdump_rounded_counts', `nfdump printed rounded counts ("${m[1]} ${m[2]}"): export with -N for exact numbers`);
  return Math.round(Number(m[1]) * UNIT[m[2]]);
}

/** nfdump's flag string: one letter per flag that any packet carried (CEUAPRSF; 1.6 wrote UAPRSF), or hex. */
export function nfdumpFlags(s: string): number {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16);
  const bits: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };
  let v = 0;
  for (const c of s) v |= bits[c] ?? 0;
  return v;
}

function localTs(s: string, ctx: LineContext): { ts: number; inferred: boolean } | null | undefined {
  const m = LOCAL.exec(s);
  if (!m) return undefined;
  // nfdump prints a record without a time (plain NetFlow in the NSEL layout) as the epoch in local time.
  if (Number(m[1]) <= 1970) return null;
  const parts = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6], micros: fractionToMicros(m[7]) };
  return localTime(ctx, parts);
}

function build(st: State, r: Rec, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  let time: { ts: number; inferred: boolean };
  let endUs: number | undefined;
  if (r.epochUs) {
    time = { ts: r.epochUs[0], inferred: false };
    endUs = r.epochUs[1];
  } else {
    const t = localTs(r.time, ctx);
    if (t === undefined || (t && !Number.isFinite(t.ts))) return weird(ctx, at, 'nfdump_bad_time', `nfdump time "${r.time}" not understood`);
    if (t === null) {
      warnOnce(st, ctx, at, 'nfdump_no_time', 'nfdump printed no time for these records (1970-01-01): export with -o long, -o csv or -o json');
      time = { ts: 0, inferred: false };
    } else time = t;
    const e = r.end ? localTs(r.end, ctx) : undefined;
    if (e) endUs = e.ts;
  }
  const proto = protoNumber(r.proto);
  if (!isIP(r.src) || !isIP(r.dst)) {
    if (/\.\./.test(r.src) || /\.\./.test(r.dst)) {
      warnOnce(st, ctx, at, 'nfdump_short_ipv6', `nfdump shortened IPv6 addresses ("${r.src}"): export with -o long6, -o extended6, -o csv or -o json`);
    } else return weird(ctx, at, 'nfdump_bad_address', `nfdump addresses "${r.src}" / "${r.dst}" not understood`);
  }
  const ev = baseEvent('flow', time, line, at);
  setAddrs(ev, isIP(r.src) ? r.src : undefined, isIP(r.dst) ? r.dst : undefined);
  if (!isIP(r.src) || !isIP(r.dst)) ev.message = `shortened address ${r.src} -> ${r.dst}`;
  if (proto !== undefined) ev.proto = proto;
  if (ev.proto === IPPROTO_ICMP || ev.proto === IPPROTO_ICMPV6) {
    // csv and pipe carry ICMP type and code as the destination port, type * 256 + code.
    const dp = portNumber(r.dport);
    const icmp = r.icmp ?? (dp !== undefined ? { type: dp >> 8, code: dp & 0xff } : undefined);
    if (icmp) ev.icmp = icmp;
  } else {
    const sp = portNumber(r.sport);
    const dp = portNumber(r.dport);
    if (sp !== undefined) ev.sport = sp;
    if (dp !== undefined) ev.dport = dp;
  }
  const opkts = count(st, ctx, at, r.opkts) ?? 0;
  const obytes = count(st, ctx, at, r.obytes) ?? 0;
  const flow: FlowRecordInfo = {
    pktsOut: count(st, ctx, at, r.pkts) ?? 0, bytesOut: count(st, ctx, at, r.bytes) ?? 0, pktsIn: opkts, bytesIn: obytes,
  };
  // A biflow record counts the way back; a one-way record (or "<->" totals) leaves it unknown.
  if ((opkts === 0 && obytes === 0) || r.dir === '<->') flow.totalsOnly = true;
  if (r.dir) flow.direction = r.dir;
  const dur = r.durationUs ?? (endUs !== undefined && time.ts > 0 ? endUs - time.ts : undefined);
  if (dur !== undefined && dur >= 0) flow.durationUs = dur;
  if (r.flags !== undefined && ev.proto === 6) flow.tcpFlags = nfdumpFlags(r.flags);
  const tos = num(r.tos);
  if (tos !== undefined) flow.tos = tos;
  if (r.sampled) {
    flow.sampled = true;
    warnOnce(st, ctx, at, 'nfdump_sampled', 'sampled flow records: nfcapd scaled their packet and byte counts up by the sampling rate, so they are estimates');
  }
  const flows = num(r.flows);
  if (flows !== undefined && flows > 1) ev.message = `${flows} flows aggregated by nfdump`;
  ev.flow = flow;
  return ev;
}

function warnOnce(st: State, ctx: LineContext, at: LineAt, code: string, message: string): void {
  if (st.warned.has(code)) return;
  st.warned.add(code);
  ctx.diag.weird({ code, file: at.file, line: at.line, offset: at.offset, message });
}

function weird(ctx: LineContext, at: LineAt, code: string, message: string): null {
  ctx.diag.weird({ code, file: at.file, line: at.line, offset: at.offset, message });
  return null;
}
