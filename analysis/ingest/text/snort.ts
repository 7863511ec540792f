/**
 * IDS alerts from Snort 2, Snort 3 and Suricata, in the text forms people paste:
 *
 * - alert_fast (Snort 2 `-A fast`, Snort 3 alert_fast, Suricata fast.log):
 *   `05/30-19:09:10.917356  [**] [1:527:8] msg [**] [Classification: c] [Priority: 2] {UDP} a:p -> b:p`
 * - alert full (Snort 2 `-A full`): blocks of header, classification, time+addresses, IP and
 *   transport lines, separated by a blank line (see Snort manual §2.6.1 and log.c PrintIPPkt).
 * - syslog (`-A syslog` / alert_syslog): `snort[123]: [122:1:1] (portscan) TCP Portscan [Priority: 3]: {PROTO:255} a:p -> b`
 * - alert_csv as pfSense writes it: `09/03/21-12:37:16.428952 ,1,2403488,68499,"msg",TCP,src,sport,dst,dport,...`
 *
 * Time stamps (snort util.c ts_print): `MM/DD-HH:MM:SS.us`, with -y `MM/DD/YY-...`;
 * Suricata writes `MM/DD/YYYY-...`. Local time without a zone, so always resolved
 * against the reference. Some tools (plaso's test data) write `YY/MM/DD`: taken
 * when the first field cannot be a month.
 */
import type { NetEvent } from '../../events/event';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../../events/event';
import type { LineContext, LineParser } from '../reader';
import { fractionToMicros } from '../../util/time';
import { baseEvent, isIPv4, isIPv6, leadingTime, localTime, portNumber, protoNumber, setAddrs, type LineAt } from './common';
import { parseTcpdumpFlags } from './tcpdump-text';

const TS = String.raw`(\d{2})/(\d{2})(?:/(\d{2}|\d{4}))?-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?`;
const FAST = new RegExp(String.raw`^\s*${TS}\s+\[\*\*\]\s+\[(\d+):(\d+):(\d+)\]\s+(.*?)\s*\[\*\*\]\s*(.*?)\{([\w:-]+)\}\s+(\S+)\s+(?:->|<>)\s+(\S+)`);
const SYSLOG = /\bsnort(?:\[\d+\])?:\s+\[(\d+):(\d+):(\d+)\]\s+(.*?)\s*((?:\[(?:Classification|Priority):[^\]]*\]\s*)*):?\s*\{([\w:-]+)\}\s+(\S+)\s+(?:->|<>)\s+(\S+)/;
const FULL_HEADER = /^\s*\[\*\*\]\s+\[(\d+):(\d+):(\d+)\]\s+(.*?)\s*\[\*\*\]\s*$/;
const FULL_CLASS = /^\s*(?:\[Classification:[^\]]*\]\s*)?\[Priority:\s*\d+\]\s*$|^\s*\[Classification:[^\]]*\]\s*$/;
const FULL_ADDR = new RegExp(String.raw`^${TS}\s+(\S+)\s+(?:->|<>)\s+(\S+)\s*$`);
const FULL_IP = /^(\w+) TTL:(\d+) TOS:(0x[0-9A-Fa-f]+) ID:(\d+) IpLen:(\d+) DgmLen:(\d+)(.*)$/;
const FULL_TCP = /^([*UAPRSFCE12]{8})\s+Seq:\s*(0x[0-9A-Fa-f]+)\s+Ack:\s*(0x[0-9A-Fa-f]+)\s+Win:\s*(0x[0-9A-Fa-f]+)/;
const FULL_UDP = /^Len:\s*(\d+)/;
const FULL_ICMP = /^Type:\s*(\d+)\s+Code:\s*(\d+)(?:\s+ID:\s*(\d+)\s+Seq:\s*(\d+))?/;
const CSV = new RegExp(String.raw`^${TS}\s*,(\d+),(\d+),(\d+),"((?:[^"]|"")*)",(\w*),([^,]*),(\d*),([^,]*),(\d*),`);
const PRIORITY = /\[Priority:\s*(\d+)\]/;
const CLASSIFICATION = /\[Classification:\s*([^\]]*)\]/;

/** Pending alert-full block: the header line, then filled in as its lines arrive. */
interface FullBlock {
  ev: NetEvent | null;
  rule: string;
  message: string;
  extra: string;
  at: LineAt;
  header: string;
  /** The IP line was seen: the next line (transport details) completes the block. */
  ipSeen: boolean;
  /** Addresses as written; split into host and port once the protocol is known. */
  a?: string;
  b?: string;
}

const STATE_KEY = 'snortFull';

export const snortParser: LineParser = {
  format: 'snort',
  match(line) {
    if (line.startsWith('#')) return -1;
    if (FAST.test(line)) return 0.98;
    if (SYSLOG.test(line)) return 0.95;
    if (FULL_HEADER.test(line)) return 0.95;
    if (CSV.test(line)) return 0.85;
    // The other lines of an alert-full block belong to it but prove little alone.
    if (FULL_ADDR.test(line) || FULL_IP.test(line) || FULL_TCP.test(line) || FULL_CLASS.test(line)) return 0.75;
    if (FULL_UDP.test(line) || FULL_ICMP.test(line)) return 0.6;
    return 0;
  },
  parse(line, at, ctx) {
    let m = FAST.exec(line);
    if (m) {
      flushPending(ctx);
      const time = snortTime(m, ctx);
      if (!time) return null;
      const ev = baseEvent('alert', time, line, at);
      ev.rule = `${m[8]}:${m[9]}:${m[10]}`;
      ev.message = alertMessage(unquote(m[11]), m[12]);
      if (!applyEndpoints(ev, m[13], m[14], m[15], at, ctx)) return null;
      return ev;
    }
    m = SYSLOG.exec(line);
    if (m) {
      const time = leadingTime(line, ctx);
      if (!time) {
        ctx.diag.weird({ code: 'no_timestamp', file: at.file, line: at.line, offset: at.offset, message: 'snort syslog line without a time stamp' });
        return null;
      }
      const ev = baseEvent('alert', time, line, at);
      ev.rule = `${m[1]}:${m[2]}:${m[3]}`;
      ev.message = alertMessage(m[4], m[5]);
      if (!applyEndpoints(ev, m[6], m[7], m[8], at, ctx)) return null;
      return ev;
    }
    m = CSV.exec(line);
    if (m) {
      const time = snortTime(m, ctx);
      if (!time) return null;
      const ev = baseEvent('alert', time, line, at);
      ev.rule = `${m[8]}:${m[9]}:${m[10]}`;
      ev.message = m[11].replace(/""/g, '"');
      ev.proto = protoNumber(m[12]);
      setAddrs(ev, m[13], m[15]);
      if (m[14]) ev.sport = portNumber(m[14]);
      if (m[16]) ev.dport = portNumber(m[16]);
      return ev;
    }
    return parseFull(line, at, ctx);
  },
  pending(ctx) {
    return (ctx.state[STATE_KEY] as FullBlock | undefined)?.at;
  },
};

function unquote(s: string): string {
  // Snort 3 alert_fast quotes the message.
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function alertMessage(msg: string, extra: string): string {
  const cls = CLASSIFICATION.exec(extra);
  const pri = PRIORITY.exec(extra);
  let out = msg.trim();
  if (cls) out += ` [Classification: ${cls[1].trim()}]`;
  if (pri) out += ` [Priority: ${pri[1]}]`;
  return out;
}

function snortTime(m: RegExpExecArray, ctx: LineContext): { ts: number; inferred: boolean } | null {
  const a = Number(m[1]);
  const b = Number(m[2]);
  let month = a;
  let day = b;
  let year: number | undefined;
  if (m[3] !== undefined) {
    const c = Number(m[3]);
    if (m[3].length === 4) year = c;
    else if (a > 12 && b >= 1 && b <= 12) { year = 2000 + a; month = b; day = c; } // YY/MM/DD
    else year = 2000 + c;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const t = localTime(ctx, {
    year, month, day, hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), micros: fractionToMicros(m[7]),
  });
  return Number.isFinite(t.ts) ? { ts: t.ts, inferred: true } : null;
}

/** `{TCP} a:p -> b:p`, `{PROTO:255} a:p -> b`, IPv6 as `2001:db8::1:80` or `[2001:db8::1]:80`. */
function applyEndpoints(ev: NetEvent, protoText: string, a: string, b: string, at: LineAt, ctx: LineContext): boolean {
  ev.proto = protoNumber(protoText.replace(/^PROTO:/i, ''));
  const withPorts = ev.proto === IPPROTO_TCP || ev.proto === IPPROTO_UDP || ev.proto === 132;
  const s = splitHostPort(a, withPorts);
  const d = splitHostPort(b, withPorts);
  if (!s || !d) {
    ctx.diag.weird({ code: 'snort_bad_address', file: at.file, line: at.line, offset: at.offset, message: `unreadable alert addresses "${a}" -> "${b}"` });
    return false;
  }
  setAddrs(ev, s.addr, d.addr);
  if (s.port !== undefined) ev.sport = s.port;
  if (d.port !== undefined) ev.dport = d.port;
  return true;
}

/**
 * Split "addr:port". IPv4 is unambiguous. Snort 3 and Suricata append ":port"
 * to IPv6 without brackets, so for protocols with ports the last group is the
 * port when what is left is still an address.
 */
export function splitHostPort(t: string, withPorts: boolean): { addr: string; port?: number } | null {
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (br) return isIPv6(br[1]) ? { addr: br[1], port: portNumber(br[2]) } : null;
  const colon = t.lastIndexOf(':');
  if (colon < 0) return isIPv4(t) ? { addr: t } : null;
  const first = t.indexOf(':');
  if (first === colon) {
    const host = t.slice(0, colon);
    return isIPv4(host) ? { addr: host, port: portNumber(t.slice(colon + 1)) } : null;
  }
  const groups = t.split(':').length;
  const head = t.slice(0, colon);
  const tail = t.slice(colon + 1);
  if ((groups === 9 || (withPorts && groups > 2)) && /^\d{1,5}$/.test(tail) && isIPv6(head)) return { addr: head, port: portNumber(tail) };
  return isIPv6(t) ? { addr: t } : null;
}

function parseFull(line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const st = ctx.state[STATE_KEY] as FullBlock | undefined;
  const h = FULL_HEADER.exec(line);
  if (h) {
    // A new block: the previous one ends here even if its last lines were missing.
    const prev = takePending(ctx);
    ctx.state[STATE_KEY] = { ev: null, rule: `${h[1]}:${h[2]}:${h[3]}`, message: h[4], extra: '', at, header: line, ipSeen: false } satisfies FullBlock;
    return prev;
  }
  if (!st) return null;
  if (!st.ev && FULL_CLASS.test(line)) { st.extra += line; return null; }
  const a = FULL_ADDR.exec(line);
  if (a && !st.ev) {
    const time = snortTime(a, ctx);
    if (!time) return null;
    const ev = baseEvent('alert', time, st.header, st.at);
    ev.rule = st.rule;
    ev.message = alertMessage(st.message, st.extra);
    st.ev = ev;
    // Ports only show on TCP/UDP, and the protocol comes with the next line.
    st.a = a[8];
    st.b = a[9];
    return null;
  }
  const ev = st.ev;
  if (!ev) return null;
  const ip = FULL_IP.exec(line);
  if (ip && !st.ipSeen) {
    ev.proto = protoNumber(ip[1]);
    ev.ttl = Number(ip[2]);
    ev.ipId = Number(ip[4]);
    ev.length = Number(ip[6]);
    st.ipSeen = true;
    const withPorts = ev.proto === IPPROTO_TCP || ev.proto === IPPROTO_UDP;
    const s = splitHostPort(st.a!, withPorts);
    const d = splitHostPort(st.b!, withPorts);
    if (!s || !d) {
      ctx.diag.weird({ code: 'snort_bad_address', file: at.file, line: at.line, offset: at.offset, message: `unreadable alert addresses "${st.a}" -> "${st.b}"` });
      ctx.state[STATE_KEY] = undefined;
      return null;
    }
    setAddrs(ev, s.addr, d.addr);
    if (s.port !== undefined) ev.sport = s.port;
    if (d.port !== undefined) ev.dport = d.port;
    if (ev.proto !== IPPROTO_TCP && ev.proto !== IPPROTO_UDP && ev.proto !== IPPROTO_ICMP && ev.proto !== IPPROTO_ICMPV6) return takePending(ctx);
    return null;
  }
  if (!st.ipSeen) return null;
  // The transport line completes the block; hex payload lines after it are not needed.
  const t = FULL_TCP.exec(line);
  if (t && ev.proto === IPPROTO_TCP) {
    ev.tcpFlags = parseSnortFlags(t[1]);
    ev.seq = parseInt(t[2], 16);
    ev.ack = parseInt(t[3], 16);
    ev.window = parseInt(t[4], 16);
    return takePending(ctx);
  }
  const u = FULL_UDP.exec(line);
  if (u && ev.proto === IPPROTO_UDP) {
    ev.payloadLength = Math.max(0, Number(u[1]) - 8);
    return takePending(ctx);
  }
  const i = FULL_ICMP.exec(line);
  if (i && (ev.proto === IPPROTO_ICMP || ev.proto === IPPROTO_ICMPV6)) {
    ev.icmp = { type: Number(i[1]), code: Number(i[2]) };
    if (i[3]) { ev.icmp.id = Number(i[3]); ev.icmp.seq = Number(i[4]); }
    return takePending(ctx);
  }
  return takePending(ctx);
}

function takePending(ctx: LineContext): NetEvent | null {
  const st = ctx.state[STATE_KEY] as FullBlock | undefined;
  ctx.state[STATE_KEY] = undefined;
  if (!st?.ev) return null;
  if (st.ev.src === undefined && st.a && st.b) {
    // The block was cut before its IP line: keep what the address line said.
    const a = splitHostPort(st.a, false);
    const b = splitHostPort(st.b, false);
    if (a && b) {
      setAddrs(st.ev, a.addr, b.addr);
      if (a.port !== undefined) st.ev.sport = a.port;
      if (b.port !== undefined) st.ev.dport = b.port;
    }
  }
  return st.ev.src === undefined ? null : st.ev;
}

/** A one-line alert between full blocks drops an unfinished block (it cannot be returned alongside). */
function flushPending(ctx: LineContext): void {
  if (ctx.state[STATE_KEY]) ctx.state[STATE_KEY] = undefined;
}

/** Snort's `***AP***` flag picture: positions 1 2 U A P R S F (log.c PrintTcpFlags: '1' is TH_RES2 = ECE, '2' is TH_RES1 = CWR). */
function parseSnortFlags(s: string): number {
  const letters = s.replace(/\*/g, '').replace(/1/g, 'E').replace(/2/g, 'W').replace(/A/g, '.');
  return parseTcpdumpFlags(letters);
}
