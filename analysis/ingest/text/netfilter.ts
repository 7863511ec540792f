/**
 * iptables / ip6tables / nftables LOG target lines, as the kernel writes them
 * (net/ipv4/netfilter/nf_log_ipv4.c, net/ipv6/netfilter/nf_log_ipv6.c) behind
 * a syslog, RFC 5424, journald or plain dmesg prefix:
 *
 *   Mar 11 13:05:01 host kernel: [123.4] PREFIX IN=eth0 OUT= MAC=dst:src:type SRC=.. DST=.. LEN=60 TOS=0x00
 *     PREC=0x00 TTL=49 ID=123 DF PROTO=TCP SPT=1 DPT=2 WINDOW=1024 RES=0x00 SYN URGP=0 OPT (020405B4)
 *
 * ICMP errors append the quoted header in brackets: `[SRC=.. DST=.. ... PROTO=UDP SPT=.. DPT=.. LEN=..]`.
 * Non-first fragments carry `FRAG:<offset/8>` and no ports; ip6tables writes TC, HOPLIMIT, FLOWLBL.
 */
import type { FragmentInfo, NetEvent, QuotedHeader } from '../../events/event';
import {
  IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP,
  TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG,
} from '../../events/event';
import type { LineContext, LineParser } from '../reader';
import { baseEvent, leadingTime, normAddr, portNumber, protoNumber, setAddrs, type LineAt } from './common';

const TCP_FLAG_WORDS: Record<string, number> = {
  FIN: TCP_FIN, SYN: TCP_SYN, RST: TCP_RST, PSH: TCP_PSH, ACK: TCP_ACK, URG: TCP_URG, ECE: TCP_ECE, CWR: TCP_CWR,
};

/** The key=value body always has these; a line without SRC=/DST=/PROTO= is not a LOG record. */
const BODY = /(?:^|[\s\]:])IN=\S*\s+OUT=\S*\s/;
const ESSENTIAL = /\bSRC=\S+ DST=\S+ .*PROTO=/;
const PARTIAL = /\bPROTO=\w+ (?:SPT=\d+ DPT=\d+|TYPE=\d+)/;

export const netfilterParser: LineParser = {
  format: 'netfilter',
  match(line) {
    if (line.startsWith('#')) return -1;
    const body = BODY.test(line);
    const ess = ESSENTIAL.test(line);
    if (body && ess) return hasTimeOrKernel(line) ? 0.97 : 0.9;
    if (ess) return 0.7;
    // syslog splits long kernel lines; the tail ("kernel: TTL=126 ID=.. PROTO=TCP SPT=..") is ours but unusable.
    if (line.includes('kernel:') && PARTIAL.test(line)) return 0.7;
    return 0;
  },
  parse(line, at, ctx) {
    if (!ESSENTIAL.test(line)) {
      if (PARTIAL.test(line)) {
        ctx.diag.weird({ code: 'netfilter_partial_line', file: at.file, line: at.line, offset: at.offset, message: 'netfilter line without its SRC/DST part (split by syslog); skipped' });
      }
      return null;
    }
    return parseRecord(line, at, ctx);
  },
};

function hasTimeOrKernel(line: string): boolean {
  return line.includes('kernel:') || /^(?:<\d+>)?(?:\d{4}-\d\d-\d\d|[A-Z][a-z]{2} [ \d]\d )/.test(line);
}

/** Kernel uptime stamp dmesg adds: "[810294.788657] ". */
const UPTIME = /^\[\s*\d+\.\d+\]\s*/;
const KERNEL = /\bkernel:\s*/;

function parseRecord(line: string, at: LineAt, ctx: LineContext): NetEvent | null {
  const time = leadingTime(line, ctx) ?? { ts: 0, inferred: true, end: 0 };
  if (time.end === 0) {
    ctx.diag.weird({ code: 'no_timestamp', file: at.file, line: at.line, offset: at.offset, message: 'netfilter line without a time stamp; time unknown' });
  }
  const ev = baseEvent('packet', time, line, at);

  // The log prefix (--log-prefix) sits between the syslog header and IN=; keep it as the message.
  const inAt = line.indexOf('IN=', time.end);
  if (inAt > 0) {
    let head = line.slice(time.end, inAt);
    const k = KERNEL.exec(head);
    if (k) head = head.slice(k.index + k[0].length);
    head = head.replace(UPTIME, '').trim();
    if (head) ev.message = head;
  }

  // The quoted header of an ICMP error is bracketed after the outer fields.
  const open = line.indexOf('[SRC=');
  const outer = open >= 0 ? line.slice(0, open) : line;
  const fields = scanFields(outer.slice(outer.indexOf('SRC=')));
  applyOuter(ev, fields);

  if (open >= 0) {
    const close = line.indexOf(']', open);
    const inner = scanFields(line.slice(open + 1, close < 0 ? undefined : close));
    const q = quoted(inner);
    if (q && ev.icmp) ev.icmp.quoted = q;
  }

  const macAt = line.indexOf('MAC=');
  if (macAt >= 0) {
    const end = line.indexOf(' ', macAt);
    const mac = line.slice(macAt + 4, end < 0 ? undefined : end);
    // MAC= is the link-layer header as received: destination, source, ethertype (nf_log_dump_mac_header).
    if (mac.length >= 35) {
      ev.dstMac = mac.slice(0, 17).toLowerCase();
      ev.srcMac = mac.slice(18, 35).toLowerCase();
    }
  }
  if (!ev.src || !ev.dst) {
    ctx.diag.weird({ code: 'netfilter_no_addresses', file: at.file, line: at.line, offset: at.offset, message: 'netfilter line without SRC/DST' });
    return null;
  }
  return ev;
}

/** Key/value pairs in order, and bare words (DF, SYN, ...). Repeated keys (ID, LEN) keep their order. */
interface Fields {
  keys: string[];
  values: string[];
  words: string[];
}

function scanFields(s: string): Fields {
  const out: Fields = { keys: [], values: [], words: [] };
  const toks = s.split(' ');
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (!t) continue;
    const eq = t.indexOf('=');
    if (eq > 0) {
      out.keys.push(t.slice(0, eq));
      out.values.push(t.slice(eq + 1));
    } else if (t.startsWith('FRAG:')) {
      out.keys.push('FRAG');
      out.values.push(t.slice(5));
    } else if (t === 'OPT' && toks[i + 1]?.startsWith('(')) {
      out.keys.push('OPT');
      out.values.push(toks[++i].replace(/[()]/g, ''));
    } else {
      out.words.push(t);
    }
  }
  return out;
}

function applyOuter(ev: NetEvent, f: Fields): void {
  let afterProto = false;
  let src: string | undefined;
  let dst: string | undefined;
  let fragOffset: number | undefined;
  for (let i = 0; i < f.keys.length; i++) {
    const k = f.keys[i];
    const v = f.values[i];
    if (k === 'PROTO') { afterProto = true; ev.proto = protoNumber(v); continue; }
    if (!afterProto) {
      switch (k) {
        case 'SRC': src = v; break;
        case 'DST': dst = v; break;
        case 'LEN': ev.length = intOr(v); break;
        case 'TTL': case 'HOPLIMIT': ev.ttl = intOr(v); break;
        case 'ID': ev.ipId = intOr(v); break;
        case 'FRAG': fragOffset = intOr(v); break;
      }
      continue;
    }
    switch (k) {
      case 'SPT': ev.sport = portNumber(v); break;
      case 'DPT': ev.dport = portNumber(v); break;
      case 'WINDOW': ev.window = intOr(v); break;
      case 'SEQ':
        // TCP --log-tcp-sequence writes SEQ/ACK; ICMP echo writes SEQ.
        if (ev.proto === IPPROTO_TCP) ev.seq = intOr(v); else if (ev.icmp) ev.icmp.seq = intOr(v);
        break;
      case 'ACK': if (ev.proto === IPPROTO_TCP) ev.ack = intOr(v); break;
      case 'TYPE': ev.icmp = { ...(ev.icmp ?? { code: 0 }), type: intOr(v) ?? 0 }; break;
      case 'CODE': ev.icmp = { ...(ev.icmp ?? { type: 0 }), code: intOr(v) ?? 0 }; break;
      case 'ID': if (ev.icmp) ev.icmp.id = intOr(v); break;
      case 'LEN':
        // UDP length includes its 8-byte header.
        if (ev.proto === IPPROTO_UDP) { const n = intOr(v); if (n !== undefined && n >= 8) ev.payloadLength = n - 8; }
        break;
      case 'OPT': applyTcpOptions(ev, v); break;
      case 'FRAG': fragOffset = intOr(v); break;
    }
  }
  setAddrs(ev, src, dst);
  if (ev.proto === IPPROTO_TCP) {
    let flags = 0;
    let seenProto = false;
    for (const w of f.words) if (w in TCP_FLAG_WORDS) { flags |= TCP_FLAG_WORDS[w]; seenProto = true; }
    // A TCP line always has URGP=; its absence means the header was not logged (fragment, truncated).
    if (seenProto || f.keys.includes('URGP')) ev.tcpFlags = flags;
  }
  const more = f.words.includes('MF');
  if (fragOffset !== undefined || more) {
    const frag: FragmentInfo = { offset: (fragOffset ?? 0) * 8, more, id: ev.ipId ?? 0 };
    ev.fragment = frag;
  }
  if ((ev.proto === IPPROTO_ICMP || ev.proto === IPPROTO_ICMPV6) && !ev.icmp && f.keys.includes('TYPE')) {
    ev.icmp = { type: 0, code: 0 };
  }
}

/** The header an ICMP error quotes, from the bracketed fields. */
function quoted(f: Fields): QuotedHeader | null {
  let src: string | undefined;
  let dst: string | undefined;
  let proto: number | undefined;
  let sport: number | undefined;
  let dport: number | undefined;
  for (let i = 0; i < f.keys.length; i++) {
    const v = f.values[i];
    switch (f.keys[i]) {
      case 'SRC': src = v; break;
      case 'DST': dst = v; break;
      case 'PROTO': proto = protoNumber(v); break;
      case 'SPT': sport = portNumber(v); break;
      case 'DPT': dport = portNumber(v); break;
    }
  }
  if (!src || !dst || proto === undefined) return null;
  const q: QuotedHeader = { src: normAddr(src), dst: normAddr(dst), proto };
  if (sport !== undefined) q.sport = sport;
  if (dport !== undefined) q.dport = dport;
  if (proto === IPPROTO_TCP) {
    let flags = 0;
    for (const w of f.words) if (w in TCP_FLAG_WORDS) flags |= TCP_FLAG_WORDS[w];
    if (f.keys.includes('URGP')) q.tcpFlags = flags;
  }
  return q;
}

const OPTION_NAMES: Record<number, string> = { 0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 8: 'ts', 30: 'mptcp', 34: 'tfo' };

/** --log-tcp-options writes the raw option bytes in hex (RFC 9293 §3.2 kinds). */
function applyTcpOptions(ev: NetEvent, hex: string): void {
  if (!/^[0-9A-Fa-f]*$/.test(hex) || hex.length % 2) return;
  const kinds: string[] = [];
  for (let i = 0; i < hex.length;) {
    const kind = parseInt(hex.slice(i, i + 2), 16);
    if (kind === 0) { kinds.push('eol'); break; }
    if (kind === 1) { kinds.push('nop'); i += 2; continue; }
    const len = parseInt(hex.slice(i + 2, i + 4), 16);
    if (!(len >= 2)) break;
    if (kind === 2 && len === 4) ev.mss = parseInt(hex.slice(i + 4, i + 8), 16);
    kinds.push(OPTION_NAMES[kind] ?? `opt-${kind}`);
    i += len * 2;
  }
  if (kinds.length) ev.tcpOptions = kinds.join(',');
}

function intOr(v: string): number | undefined {
  if (v.startsWith('0x')) { const n = parseInt(v.slice(2), 16); return Number.isFinite(n) ? n : undefined; }
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : undefined;
}
