/**
 * `tcpdump -n` text output (tcpdump(8) "OUTPUT FORMAT"; print-ip.c, print-tcp.c,
 * print-udp.c, print-icmp.c), one packet per line:
 *
 *   12:34:56.123456 IP 1.2.3.4.80 > 5.6.7.8.1234: Flags [S.], seq 1, ack 2, win 100, options [mss 1460], length 0
 *
 * Time stamps: default `HH:MM:SS.us` (local, no date), `-tttt` `YYYY-MM-DD HH:MM:SS.us` (local),
 * `-tt` epoch seconds (exact). `-e` puts `src-mac > dst-mac, ethertype IPv4 (0x0800), length N:`
 * before the addresses. `-v` writes the IP header in parentheses and, for IPv4, the addresses on
 * the next, indented line: the header is held in the parser state until that line arrives.
 * Without -n the addresses are names, which we cannot use: such lines are reported once.
 */
import type { NetEvent, QuotedHeader } from '../../events/event';
import {
  IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP,
  TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG,
} from '../../events/event';
import type { LineContext, LineParser } from '../reader';
import { fractionToMicros } from '../../util/time';
import { baseEvent, epochToMicros, isIPv4, isIPv6, localTime, normAddr, portNumber, protoNumber, setAddrs, type LineAt } from './common';

const TIME = /^(?:(\d{4})-(\d{2})-(\d{2}) )?(\d{2}):(\d{2}):(\d{2})\.(\d{6,9}) |^(\d{9,10}\.\d{6,9}) /;
const ETHER = /^([0-9a-f]{2}(?::[0-9a-f]{2}){5}) > ([0-9a-f]{2}(?::[0-9a-f]{2}){5}|Broadcast), (?:802\.3|ethertype (\S+) \(0x[0-9a-f]{4}\)), length (\d+): /;
const VLAN = /^vlan (\d+), p \d+, (?:ethertype (\S+) \(0x[0-9a-f]{4}\), )?/;
const FAMILY = /^(IP6?) /;
/** -v header: "(tos 0x0, ttl 58, id 60152, offset 0, flags [none], proto UDP (17), length 28)" or IP6 "(flowlabel .., hlim 64, next-header TCP (6) payload length: 40)". */
const VHEADER = /^\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*/;
const ADDRS = /^(\S+) > (\S+?):(?: |$)/;
const CONT = /^\s+\S+ > \S+?:(?: |$)/;
const FLAGS = /^Flags \[([^\]]*)\]/;
const SEQ = /, seq (\d+)/;
const ACK = /, ack (\d+)/;
const WIN = /, win (\d+)/;
const OPTIONS = /, options \[([^\]]*)\]/;
const LENGTH = /, length (\d+)/;

export const tcpdumpTextParser: LineParser = {
  format: 'tcpdump-text',
  match(line) {
    const t = TIME.exec(line);
    if (!t) {
      // The second line of a -v record: indented "src > dst: ...".
      return CONT.test(line) ? 0.6 : 0;
    }
    const rest = line.slice(t[0].length);
    if (/^(?:IP6? |[0-9a-f]{2}(?::[0-9a-f]{2}){5} > )/.test(rest)) return 0.95;
    if (/^(?:ARP|STP|LLDP|CDP|LLC|IPX|PPPoE|loopback|802\.1Q)\b/.test(rest)) return 0.8;
    return 0.1;
  },
  parse(line, at, ctx) {
    const pending = ctx.state.tcpdumpPending as { ev: NetEvent; line: string } | undefined;
    if (pending && CONT.test(line)) {
      ctx.state.tcpdumpPending = undefined;
      return parseAddrs(pending.ev, line.trimStart(), ctx, at) ? pending.ev : null;
    }
    ctx.state.tcpdumpPending = undefined;
    const t = TIME.exec(line);
    if (!t) return null;
    let time: { ts: number; inferred: boolean };
    if (t[8]) time = { ts: epochToMicros(t[8]), inferred: false };
    else {
      const us = fractionToMicros(t[7]);
      time = localTime(ctx, {
        year: t[1] ? Number(t[1]) : undefined, month: t[2] ? Number(t[2]) : undefined, day: t[3] ? Number(t[3]) : undefined,
        hour: Number(t[4]), minute: Number(t[5]), second: Number(t[6]), micros: us,
      });
      time = { ts: time.ts, inferred: true };
    }
    const ev = baseEvent('packet', time, line, at);
    if (t[7] && t[7].length === 9) ev.tsNanos = Number(t[7].slice(6));
    let rest = line.slice(t[0].length);
    let family: string | undefined;

    const e = ETHER.exec(rest);
    if (e) {
      ev.srcMac = e[1];
      ev.dstMac = e[2] === 'Broadcast' ? 'ff:ff:ff:ff:ff:ff' : e[2];
      ev.length = Number(e[4]);
      family = e[3];
      rest = rest.slice(e[0].length);
      for (let v = VLAN.exec(rest); v; v = VLAN.exec(rest)) {
        (ev.vlan ??= []).push(Number(v[1]));
        family = v[2];
        rest = rest.slice(v[0].length);
      }
      if (family !== 'IPv4' && family !== 'IPv6') return null;
    } else {
      const f = FAMILY.exec(rest);
      if (!f) return null;
      family = f[1] === 'IP' ? 'IPv4' : 'IPv6';
      rest = rest.slice(f[0].length);
    }
    ev.ipVersion = family === 'IPv6' ? 6 : 4;
    const vh = VHEADER.exec(rest);
    if (vh) {
      applyVerboseHeader(ev, vh[1]);
      rest = rest.slice(vh[0].length);
      if (rest.trim() === '') {
        ctx.state.tcpdumpPending = { ev, line };
        return null;
      }
    }
    return parseAddrs(ev, rest, ctx, at) ? ev : null;
  },
  pending(ctx) {
    const p = ctx.state.tcpdumpPending as { ev: NetEvent } | undefined;
    return p && { line: p.ev.source.line!, offset: p.ev.source.offset };
  },
};

function applyVerboseHeader(ev: NetEvent, h: string): void {
  let offset = 0;
  let more = false;
  for (const part of h.split(', ')) {
    const sp = part.indexOf(' ');
    const key = part.slice(0, sp);
    const val = part.slice(sp + 1);
    switch (key) {
      case 'ttl': case 'hlim': ev.ttl = Number(val); break;
      case 'id': ev.ipId = Number(val); break;
      case 'offset': offset = Number(val); break;
      case 'flags': more = val.includes('+'); break;
      case 'proto': ev.proto = protoNumber(val.replace(/ \(\d+\)$/, '')) ?? protoNumber(/\((\d+)\)/.exec(val)?.[1] ?? ''); break;
      case 'length': if (ev.length === undefined) ev.length = Number(val); break;
      case 'next-header': {
        const n = /\((\d+)\)/.exec(val);
        if (n) ev.proto = Number(n[1]);
        const pl = /payload length: (\d+)/.exec(val);
        if (pl && ev.length === undefined) ev.length = Number(pl[1]) + 40;
        break;
      }
    }
  }
  if (offset > 0 || more) ev.fragment = { offset, more, id: ev.ipId ?? 0 };
}

function parseAddrs(ev: NetEvent, rest: string, ctx: LineContext, at: LineAt): boolean {
  const a = ADDRS.exec(rest);
  if (!a) return false;
  const s = splitDotPort(a[1]);
  const d = splitDotPort(a[2]);
  if (!s || !d) {
    // Without -n tcpdump prints names; nothing here can be matched to a complaint.
    ctx.diag.weird({ code: 'tcpdump_unresolved', file: at.file, line: at.line, offset: at.offset, message: 'tcpdump line with host names (captured without -n); skipped' });
    return false;
  }
  const v = ev.ipVersion;
  setAddrs(ev, s.addr, d.addr);
  if (v) ev.ipVersion = v;
  const body = rest.slice(a[0].length);
  if (s.port !== undefined) ev.sport = s.port;
  if (d.port !== undefined) ev.dport = d.port;
  const f = FLAGS.exec(body);
  if (f) {
    ev.proto = IPPROTO_TCP;
    ev.tcpFlags = parseTcpdumpFlags(f[1]);
    const seq = SEQ.exec(body);
    if (seq) ev.seq = Number(seq[1]);
    const ack = ACK.exec(body);
    if (ack) ev.ack = Number(ack[1]);
    const win = WIN.exec(body);
    if (win) ev.window = Number(win[1]);
    const opt = OPTIONS.exec(body);
    if (opt) applyOptions(ev, opt[1]);
    const len = LENGTH.exec(body);
    if (len) ev.payloadLength = Number(len[1]);
    return true;
  }
  if (body.startsWith('ICMP')) {
    ev.proto = body.startsWith('ICMP6') ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
    ev.icmp = icmpInfo(body, ev);
    return true;
  }
  if (body.startsWith('UDP, length ')) {
    ev.proto = IPPROTO_UDP;
    ev.payloadLength = Number(body.slice(12).replace(/\D.*$/, ''));
    return true;
  }
  const q = /^(tcp|udp) (\d+)/.exec(body); // -q
  if (q) {
    ev.proto = q[1] === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP;
    ev.payloadLength = Number(q[2]);
    return true;
  }
  const ipp = /^ip-proto-(\d+)/.exec(body);
  if (ipp) {
    ev.proto = Number(ipp[1]);
    return true;
  }
  if (ev.proto === undefined) {
    const name = /^(igmp|GREv\d|ESP|AH|sctp|VRRPv\d|OSPFv\d|PIMv\d)/i.exec(body);
    if (name) ev.proto = protoNumber(name[1].replace(/v\d$/i, '')) ?? ({ vrrp: 112, ospf: 89, pim: 103 } as Record<string, number>)[name[1].replace(/v\d$/i, '').toLowerCase()];
    // Ports and no TCP flags: an application decoder (DNS, NTP, ...) printed a UDP payload.
    else if (ev.sport !== undefined) ev.proto = IPPROTO_UDP;
  }
  const len = /\((\d+)\)\s*$/.exec(body);
  if (len && ev.proto === IPPROTO_UDP) ev.payloadLength = Number(len[1]);
  return true;
}

/** "1.2.3.4.80" / "2001:db8::1.53" / "1.2.3.4" to address and port. */
export function splitDotPort(t: string): { addr: string; port?: number } | null {
  if (isIPv4(t)) return { addr: t };
  const dot = t.lastIndexOf('.');
  if (dot > 0) {
    const head = t.slice(0, dot);
    const port = portNumber(t.slice(dot + 1));
    if (port !== undefined && (isIPv4(head) || isIPv6(head))) return { addr: head, port };
  }
  if (isIPv6(t)) return { addr: t };
  return null;
}

const TCPDUMP_FLAG_BITS: Record<string, number> = {
  S: TCP_SYN, F: TCP_FIN, R: TCP_RST, P: TCP_PSH, '.': TCP_ACK, U: TCP_URG, E: TCP_ECE, W: TCP_CWR,
};

/** tcpdump's flag letters (print-tcp.c tcp_flag_values): S F R P . U E W, "none" for no flags. */
export function parseTcpdumpFlags(s: string): number {
  if (s === 'none') return 0;
  let flags = 0;
  for (const c of s) flags |= TCPDUMP_FLAG_BITS[c] ?? 0;
  return flags;
}

const OPTION_KINDS: Record<string, string> = { mss: 'mss', sackOK: 'sackOK', TS: 'ts', nop: 'nop', wscale: 'wscale', sack: 'sack', eol: 'eol', tfo: 'tfo', mptcp: 'mptcp' };

function applyOptions(ev: NetEvent, s: string): void {
  const kinds: string[] = [];
  for (const o of s.split(',')) {
    const word = o.split(' ')[0];
    kinds.push(OPTION_KINDS[word] ?? word);
    if (word === 'mss') ev.mss = Number(o.slice(4));
  }
  if (kinds.length) ev.tcpOptions = kinds.join(',');
}

const ECHO = /echo (request|reply), id (\d+), seq (\d+)/;
const UNREACH_PORT = /(\S+) (udp|tcp) port (\d+) unreachable/;

/** ICMP type/code from tcpdump's words (print-icmp.c, print-icmp6.c). */
function icmpInfo(body: string, ev: NetEvent): { type: number; code: number; id?: number; seq?: number; quoted?: QuotedHeader } {
  const v6 = body.startsWith('ICMP6');
  const echo = ECHO.exec(body);
  if (echo) {
    const request = echo[1] === 'request';
    return { type: v6 ? (request ? 128 : 129) : (request ? 8 : 0), code: 0, id: Number(echo[2]), seq: Number(echo[3]) };
  }
  const up = UNREACH_PORT.exec(body);
  if (up && ev.dst && (isIPv4(up[1]) || isIPv6(up[1]))) {
    // The quoted datagram went from this ICMP's destination to the unreachable port.
    const quoted: QuotedHeader = { src: ev.dst, dst: normAddr(up[1]), proto: up[2] === 'udp' ? IPPROTO_UDP : IPPROTO_TCP, dport: Number(up[3]) };
    return v6 ? { type: 1, code: 4, quoted } : { type: 3, code: 3, quoted };
  }
  if (v6) {
    if (body.includes('destination unreachable')) return { type: 1, code: 0 };
    if (body.includes('packet too big')) return { type: 2, code: 0 };
    if (body.includes('time exceeded')) return { type: 3, code: 0 };
    if (body.includes('router solicitation')) return { type: 133, code: 0 };
    if (body.includes('router advertisement')) return { type: 134, code: 0 };
    if (body.includes('neighbor solicitation')) return { type: 135, code: 0 };
    if (body.includes('neighbor advertisement')) return { type: 136, code: 0 };
    return { type: -1, code: -1 };
  }
  if (/protocol \d+ unreachable/.test(body)) return { type: 3, code: 2 };
  if (/ unreachable - need to frag/.test(body)) return { type: 3, code: 4 };
  if (/host \S+ unreachable - admin prohibited filter/.test(body)) return { type: 3, code: 13 };
  if (/host \S+ unreachable/.test(body)) return { type: 3, code: 1 };
  if (/net \S+ unreachable/.test(body)) return { type: 3, code: 0 };
  if (body.includes('time exceeded in-transit')) return { type: 11, code: 0 };
  if (body.includes('reassembly time exceeded')) return { type: 11, code: 1 };
  if (body.includes('redirect')) return { type: 5, code: 0 };
  if (body.includes('source quench')) return { type: 4, code: 0 };
  if (body.includes('time stamp request')) return { type: 13, code: 0 };
  if (body.includes('time stamp reply')) return { type: 14, code: 0 };
  // Unknown wording: type -1 says "ICMP, kind not understood" rather than guessing.
  return { type: -1, code: -1 };
}
