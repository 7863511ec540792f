/**
 * Argus flow records as `ra` prints them (ra(1), rarc(5) RA_TIME_FORMAT,
 * RA_FIELD_DELIMITER; argus-clients common/argus_util.c ArgusPrint*):
 *
 *          StartTime      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  TotPkts   TotBytes State
 *    18:58:34.958375  e           tcp       192.168.1.10.35503     ->       192.168.1.25.1723          2        118   RST
 *
 * Layouts vary with -s, -u (epoch time), -c (delimited, ports in their own
 * column), RA_TIME_FORMAT (dates) and hand-edited reports (seed 004 prints
 * "09 Jan 00 11:05:43" and wraps each record onto two lines). The header line,
 * when present, fixes the columns; without it the layout is read from the
 * line's shape around the direction marker, the one token every layout has.
 * The JSON lines of `ra -M json` (newer clients) are read too.
 *
 * Times without a date or zone (the default %T.%f is local time of the host
 * that ran ra) are resolved against the reference and marked inferred.
 */
import type { FlowRecordInfo, NetEvent } from '../../events/event';
import { IPPROTO_ICMP, IPPROTO_ICMPV6 } from '../../events/event';
import type { LineContext, LineParser } from '../reader';
import { fractionToMicros, monthNumber, type LocalParts } from '../../util/time';
import { baseEvent, epochToMicros, isIPv4, isIPv6, localTime, num, portNumber, protoNumber, setAddrs, type LineAt } from './common';

/** Direction markers (argus_util.c ArgusPrintDir): `->` `<-` `<->` `<?>` `?>` `<?` `|>` `<|` `o>` `<o` `<o>` and ARP's `who`. */
const DIR_TOKEN = /^(?:<?[-|o?]>|<[-|o?]>?|who|is-at)$/;
const DIR_IN_LINE = /\s(<?[-|o?]>|<[-|o?]>?|who|is-at)(?=\s|$)/;
const NUMBER = /^\d+(?:\.\d+)?$/;
const FLOAT = /^\d+\.\d+$/;

/** Header labels to canonical names (the names ra -s and -M json use). */
const LABELS: Record<string, string> = {
  starttime: 'stime', lasttime: 'ltime', dur: 'dur', flgs: 'flgs', proto: 'proto', srcaddr: 'saddr', sport: 'sport',
  dir: 'dir', dstaddr: 'daddr', dport: 'dport', totpkts: 'pkts', totbytes: 'bytes', srcpkts: 'spkts', dstpkts: 'dpkts',
  srcbytes: 'sbytes', dstbytes: 'dbytes', state: 'state',
};

interface Layout {
  /** Field delimiter of ra -c / RA_FIELD_DELIMITER output; null for fixed-width columns. */
  delim: string | null;
  cols: string[];
  /** The counter columns right of the destination, in order (computed once, used per line). */
  numCols: string[];
  hasDport: boolean;
}

/** A record split into its textual fields, before interpretation. */
interface RawRecord {
  stime: string;
  dur?: string;
  proto: string;
  saddr: string;
  /** Undefined when the port is joined to the address with a dot (fixed-width output). */
  sport?: string;
  dir: string;
  daddr: string;
  dport?: string;
  nums: Record<string, string>;
  state?: string;
}

interface Pending {
  left: Omit<RawRecord, 'daddr' | 'dport' | 'nums' | 'state'>;
  line: string;
  at: LineAt;
}

const LAYOUT = 'argusLayout';
const PENDING = 'argusPending';
const LAST_TS = 'argusLastTs';

export const argusParser: LineParser = {
  format: 'argus',
  match(line) {
    if (isHeader(line)) return -1;
    const t = line.trimStart();
    if (t.startsWith('{')) return /"saddr"\s*:/.test(t) && /"dir"\s*:/.test(t) ? 0.95 : 0;
    const time = parseArgusTime(t);
    if (line.includes(',') || line.includes('|')) {
      const delim = line.includes(',') ? ',' : '|';
      const f = line.split(delim);
      if (f.length >= 9 && time && f.some((x) => DIR_TOKEN.test(x.trim()))) return 0.93;
    }
    const d = DIR_IN_LINE.exec(line);
    if (time && d) {
      const after = line.slice(d.index + d[0].length).trim();
      if (after === '') return 0.8; // first half of a wrapped record
      return /^\S+\s+\d+\s+\d+/.test(after) ? 0.95 : 0.5;
    }
    // Second half of a wrapped record: "130.216.1.1.23    1      1       0         0        ER".
    if (/^\S+\s+\d+\s+\d+\s+\d+\s+\d+\s+\S+\s*$/.test(line) && splitDotted(line.trim().split(/\s+/)[0])) return 0.6;
    return 0;
  },
  parse(line, at, ctx) {
    if (isHeader(line)) {
      ctx.state[LAYOUT] = headerLayout(line);
      return null;
    }
    const t = line.trimStart();
    if (t.startsWith('{')) return parseJson(t, line, at, ctx);
    const layout = ctx.state[LAYOUT] as Layout | undefined;
    const pending = ctx.state[PENDING] as Pending | undefined;
    if (pending) {
      ctx.state[PENDING] = undefined;
      const rec = secondHalf(pending, line, layout);
      if (rec) return build(rec, `${pending.line} ${line.trim()}`, pending.at, ctx);
      weird(ctx, pending.at, 'argus_incomplete_record', 'argus record wrapped onto two lines lacks its second line');
    }
    if (layout?.delim || (!layout && (/,.*,.*,.*,/.test(line) || /\|.*\|.*\|.*\|/.test(line)))) {
      const delim = layout?.delim ?? (line.includes(',') ? ',' : '|');
      const rec = delimited(line, delim, layout?.cols);
      return rec ? build(rec, line, at, ctx) : null;
    }
    return fixedWidth(line, at, ctx, layout);
  },
  pending(ctx) {
    return (ctx.state[PENDING] as Pending | undefined)?.at;
  },
};

function isHeader(line: string): boolean {
  return line.includes('StartTime') || (line.includes('SrcAddr') && line.includes('Dir'));
}

function headerLayout(line: string): Layout {
  const delim = [',', '|', ';', '\t'].find((d) => line.includes(d)) ?? null;
  const labels = delim ? line.split(delim) : line.trim().split(/\s+/);
  const cols = labels.map((l) => LABELS[l.trim().toLowerCase()] ?? l.trim().toLowerCase());
  const hasDport = cols.includes('dport');
  const numCols = cols.slice(cols.indexOf(hasDport ? 'dport' : 'daddr') + 1).filter((c) => c !== 'state');
  return { delim, cols, numCols, hasDport };
}

// Time columns ra can print, by RA_TIME_FORMAT; each returns parts or an exact epoch time.
const T_EPOCH = /^(\d{9,11}(?:\.\d{1,9})?)(?=\s|,|\||$)/;
const T_YMD = /^(\d{4})[/-](\d{2})[/-](\d{2})[. T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?=\s|,|\||$)/;
const T_MD = /^(\d{2})\/(\d{2})\.(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?=\s|,|\||$)/;
const T_DMY = /^(\d{1,2}) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?=\s|,|\||$)/;
const T_HMS = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?=\s|,|\||$)/;

/** A time column as ra wrote it: wall-clock parts (or an epoch) and how many characters it took. */
interface ArgusTime extends LocalParts {
  len: number;
  epoch?: number;
  micros: number;
}

function parseArgusTime(s: string): ArgusTime | null {
  let m = T_HMS.exec(s);
  if (m) return { len: m[0].length, hour: +m[1], minute: +m[2], second: +m[3], micros: fractionToMicros(m[4]) };
  m = T_EPOCH.exec(s);
  if (m) return { len: m[0].length, epoch: epochToMicros(m[1]), hour: 0, minute: 0, second: 0, micros: 0 };
  m = T_YMD.exec(s);
  if (m) return { len: m[0].length, year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6], micros: fractionToMicros(m[7]) };
  m = T_MD.exec(s);
  if (m) return { len: m[0].length, month: +m[1], day: +m[2], hour: +m[3], minute: +m[4], second: +m[5], micros: fractionToMicros(m[6]) };
  m = T_DMY.exec(s);
  if (m) {
    const month = monthNumber(m[2]);
    if (!month) return null;
    // %y: POSIX strptime puts 69-99 in the 1900s, 00-68 in the 2000s.
    const yy = +m[3];
    return { len: m[0].length, year: yy < 69 ? 2000 + yy : 1900 + yy, month, day: +m[1], hour: +m[4], minute: +m[5], second: +m[6], micros: fractionToMicros(m[7]) };
  }
  return null;
}

function resolveTime(t: ArgusTime, ctx: LineContext): { ts: number; inferred: boolean } {
  if (t.epoch !== undefined) return { ts: t.epoch, inferred: false };
  const r = localTime(ctx, t);
  if (t.month !== undefined || !Number.isFinite(r.ts)) return { ts: r.ts, inferred: true };
  // Time-only columns: ra prints records in time order, so a jump back of more than
  // half a day is the next day, not a record from earlier the same day.
  const last = ctx.state[LAST_TS] as number | undefined;
  let ts = r.ts;
  const day = 86_400_000_000;
  if (last !== undefined) while (ts < last - day / 2) ts += day;
  ctx.state[LAST_TS] = ts;
  return { ts, inferred: true };
}

function fixedWidth(line: string, at: LineAt, ctx: LineContext, layout: Layout | undefined): NetEvent | null {
  const d = DIR_IN_LINE.exec(line);
  if (!d) return null;
  const leftText = line.slice(0, d.index).trim();
  const time = parseArgusTime(leftText);
  if (!time) {
    if (/\*\s/.test(leftText.slice(0, 30))) weird(ctx, at, 'argus_truncated_field', 'argus time column truncated by ra ("*"): widen it with -s stime:26');
    return null;
  }
  let rest = leftText.slice(time.len).trim();
  let dur: string | undefined;
  const cols = layout?.cols;
  if (cols?.includes('ltime')) {
    const lt = parseArgusTime(rest);
    if (lt) rest = rest.slice(lt.len).trim();
  }
  const firstTok = rest.split(/\s+/, 1)[0];
  if ((cols ? cols.includes('dur') : true) && FLOAT.test(firstTok)) {
    dur = firstTok;
    rest = rest.slice(firstTok.length).trim();
  }
  const toks = rest.split(/\s+/);
  if (toks.length < 2) return null;
  let saddr = toks[toks.length - 1];
  let sport: string | undefined;
  let proto = toks[toks.length - 2];
  // ra -s saddr sport without -c prints the port as its own column in some versions.
  if (toks.length >= 3 && portNumber(saddr) !== undefined && (isIPv4(proto) || isIPv6(proto))) {
    sport = saddr;
    saddr = proto;
    proto = toks[toks.length - 3];
  }
  const left = { stime: leftText.slice(0, time.len), dur, proto, saddr, sport, dir: d[1] };
  const rightText = line.slice(d.index + d[0].length).trim();
  if (rightText === '') {
    ctx.state[PENDING] = { left, line: line.trimEnd(), at } satisfies Pending;
    return null;
  }
  const rec = right(left, rightText, layout);
  return rec ? build(rec, line, at, ctx) : null;
}

function secondHalf(p: Pending, line: string, layout: Layout | undefined): RawRecord | null {
  const t = line.trim();
  const first = t.split(/\s+/, 1)[0];
  if (!splitDotted(first)) return null;
  return right(p.left, t, layout);
}

/** The columns right of the direction: destination, counters, state. */
function right(left: Pending['left'], text: string, layout: Layout | undefined): RawRecord | null {
  const toks = text.split(/\s+/);
  const daddr = toks[0];
  let i = 1;
  let dport: string | undefined;
  // A separate port column only when the address is bare (fixed-width ra joins them with a dot).
  if (toks.length > 2 && layout?.hasDport && isIPv4(daddr) && portNumber(toks[1]) !== undefined && toks.length > layout.numCols.length + 2) {
    dport = toks[1];
    i = 2;
  }
  let end = toks.length;
  let state: string | undefined;
  if (end > i && !NUMBER.test(toks[end - 1])) state = toks[--end];
  const n = end - i;
  const nums: Record<string, string> = {};
  const numCols = layout?.numCols;
  if (numCols && numCols.length === n) for (let k = 0; k < n; k++) nums[numCols[k]] = toks[i + k];
  else if (n === 4) { nums.spkts = toks[i]; nums.dpkts = toks[i + 1]; nums.sbytes = toks[i + 2]; nums.dbytes = toks[i + 3]; }
  else if (n >= 2) { nums.pkts = toks[i]; nums.bytes = toks[i + 1]; }
  return { stime: left.stime, dur: left.dur, proto: left.proto, saddr: left.saddr, sport: left.sport, dir: left.dir, daddr, dport, nums, state };
}

function delimited(line: string, delim: string, cols: string[] | undefined): RawRecord | null {
  const f = line.split(delim).map((x) => x.trim());
  let names = cols;
  if (!names || names.length !== f.length) {
    // No header: read the shape around the direction column (ra -c ',' default columns).
    const d = f.findIndex((x) => DIR_TOKEN.test(x));
    if (d < 4 || f.length < d + 4) return null;
    names = f.map((_x, k) => {
      if (k === 0) return 'stime';
      if (k === d) return 'dir';
      if (k === d - 1) return 'sport';
      if (k === d - 2) return 'saddr';
      if (k === d - 3) return 'proto';
      if (k === d + 1) return 'daddr';
      if (k === d + 2) return 'dport';
      if (k === f.length - 1) return 'state';
      if (k > d + 2) return (f.length - d - 4 === 4 ? ['spkts', 'dpkts', 'sbytes', 'dbytes'] : ['pkts', 'bytes'])[k - d - 3] ?? `c${k}`;
      return k === 1 && FLOAT.test(f[k]) ? 'dur' : `c${k}`;
    });
  }
  const get = (n: string): string | undefined => {
    const k = names!.indexOf(n);
    return k < 0 ? undefined : f[k];
  };
  const stime = get('stime');
  const proto = get('proto');
  const saddr = get('saddr');
  const dir = get('dir');
  const daddr = get('daddr');
  if (!stime || !proto || saddr === undefined || !dir || daddr === undefined) return null;
  const nums: Record<string, string> = {};
  for (const n of ['pkts', 'bytes', 'spkts', 'dpkts', 'sbytes', 'dbytes']) {
    const v = get(n);
    if (v !== undefined && v !== '') nums[n] = v;
  }
  return { stime, dur: get('dur'), proto, saddr, sport: get('sport') ?? '', dir, daddr, dport: get('dport') ?? '', nums, state: get('state') };
}

function parseJson(t: string, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  // ra -M json wraps records as {"ArgusData":[{...},\n{...}]}: take the object on this line.
  let body = t.startsWith('{"ArgusData"') ? t.slice(t.indexOf('[') + 1) : t;
  body = body.replace(/\]\s*\}\s*$/, '').replace(/,\s*$/, '');
  if (!body.startsWith('{')) return null;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return weird(ctx, at, 'argus_bad_json', 'argus JSON record does not parse');
  }
  const s = (k: string): string | undefined => (o[k] === undefined || o[k] === null ? undefined : String(o[k]).trim());
  if (s('type') !== undefined && s('type') !== 'flow') return null;
  const stime = s('stime');
  const proto = s('proto');
  const saddr = s('saddr');
  const daddr = s('daddr');
  if (!stime || !proto || !saddr || !daddr) return null;
  const nums: Record<string, string> = {};
  for (const n of ['pkts', 'bytes', 'spkts', 'dpkts', 'sbytes', 'dbytes']) {
    const v = s(n);
    if (v !== undefined) nums[n] = v;
  }
  return build({ stime, dur: s('dur'), proto, saddr, sport: s('sport') ?? '', dir: s('dir') ?? '', daddr, dport: s('dport') ?? '', nums, state: s('state') }, line, at, ctx);
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;

/** "1.2.3.4.80", "fe80::1.5353", "1.2.3.4", "00:13:7f:4f:8e:f2.66" -> address and port text. */
function splitDotted(tok: string): { addr: string; port?: string; mac?: boolean; truncated?: boolean } | null {
  if (isIPv4(tok) || (isIPv6(tok) && !tok.includes('.'))) return { addr: tok };
  const dot = tok.lastIndexOf('.');
  if (dot > 0) {
    const head = tok.slice(0, dot);
    const port = tok.slice(dot + 1);
    if (/^(?:\d+|0x[0-9a-f]+)$/i.test(port)) {
      if (isIPv4(head) || isIPv6(head)) return { addr: head, port };
      if (MAC.test(head)) return { addr: head, port, mac: true };
      if (/^[0-9a-f:.]+\*$/i.test(head)) return { addr: head, port, truncated: true };
    }
  }
  if (MAC.test(tok)) return { addr: tok, mac: true };
  if (isIPv6(tok)) return { addr: tok };
  if (/^[0-9a-f:.]+\*$/i.test(tok)) return { addr: tok, truncated: true };
  return null;
}

function build(r: RawRecord, line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const pt = parseArgusTime(r.stime);
  if (!pt || pt.len !== r.stime.length) {
    if (r.stime.includes('*')) return weird(ctx, at, 'argus_truncated_field', 'argus time column truncated by ra ("*")');
    return weird(ctx, at, 'argus_bad_time', `argus time "${r.stime}" not understood`);
  }
  if (r.proto === 'man') return null; // argus management (start/status) record, not a flow
  const time = resolveTime(pt, ctx);
  if (!Number.isFinite(time.ts)) return weird(ctx, at, 'argus_bad_time', `argus time "${r.stime}" out of range`);
  const s = r.sport === undefined ? splitDotted(r.saddr) : { addr: r.saddr, port: r.sport || undefined };
  const d = r.dport === undefined ? splitDotted(r.daddr) : { addr: r.daddr, port: r.dport || undefined };
  if (!s || !d) return weird(ctx, at, 'argus_bad_address', `argus addresses "${r.saddr}" / "${r.daddr}" not understood`);
  const ev = baseEvent('flow', time, line, at);
  const proto = r.proto.toLowerCase();
  ev.proto = protoNumber(proto);
  const sm = 'mac' in s && s.mac;
  const dm = 'mac' in d && d.mac;
  const trunc = ('truncated' in s && s.truncated) || ('truncated' in d && d.truncated);
  if (sm || dm) {
    // llc and other non-IP flows are keyed by MAC address.
    if (sm) ev.srcMac = s.addr.toLowerCase();
    if (dm) ev.dstMac = d.addr.toLowerCase();
  } else if (trunc) {
    // ra cuts addresses wider than the column and marks the cut with "*": not an address any more.
    weird(ctx, at, 'argus_truncated_field', `argus address truncated by ra ("${r.saddr}" / "${r.daddr}"): widen with -s saddr:40`);
    ev.message = `truncated address ${r.saddr} ${r.dir} ${r.daddr}`;
    if (!('truncated' in s && s.truncated)) setAddrs(ev, s.addr, undefined);
    if (!('truncated' in d && d.truncated)) setAddrs(ev, undefined, d.addr);
  } else {
    setAddrs(ev, s.addr, d.addr);
  }
  if (proto === 'arp' || proto === 'rarp' || proto === 'llc') ev.message = ev.message ?? proto;
  const sp = portNumber(s.port);
  const dp = portNumber(d.port);
  if (ev.proto === IPPROTO_ICMP || ev.proto === IPPROTO_ICMPV6 || proto === 'ipv6-icmp') {
    // argus prints the ICMP type in the source port column and the code in the destination's.
    if (sp !== undefined) ev.icmp = { type: sp, code: dp ?? 0 };
  } else if (!sm) {
    if (sp !== undefined) ev.sport = sp;
    if (dp !== undefined) ev.dport = dp;
  }
  const n = r.nums;
  const flow: FlowRecordInfo = n.spkts !== undefined || n.sbytes !== undefined
    ? { pktsOut: num(n.spkts) ?? 0, pktsIn: num(n.dpkts) ?? 0, bytesOut: num(n.sbytes) ?? 0, bytesIn: num(n.dbytes) ?? 0 }
    // TotPkts/TotBytes only: the split is unknown, so everything is counted as outbound.
    : { pktsOut: num(n.pkts) ?? 0, pktsIn: 0, bytesOut: num(n.bytes) ?? 0, bytesIn: 0, totalsOnly: true };
  if (r.state) flow.state = r.state;
  if (r.dir) flow.direction = r.dir;
  const dur = num(r.dur);
  if (dur !== undefined) flow.durationUs = Math.round(dur * 1e6);
  ev.flow = flow;
  return ev;
}

function weird(ctx: LineContext, at: LineAt, code: string, message: string): null {
  ctx.diag.weird({ code, file: at.file, line: at.line, offset: at.offset, message });
  return null;
}
