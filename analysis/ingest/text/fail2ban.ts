/**
 * Host-protection logs: what fail2ban itself writes and the service logs its
 * filters read (fail2ban/tests/files/logs/* are the reference samples):
 *
 * - fail2ban: `2024-01-01 12:00:00,123 fail2ban.actions [123]: NOTICE [sshd] Ban 1.2.3.4` (Found/Unban/Restore Ban)
 * - sshd / dropbear auth failures: `sshd[1]: Failed password for invalid user x from 1.2.3.4 port 2222 ssh2`
 * - postfix smtpd rejects `RCPT from host[1.2.3.4]`, exim `authenticator failed for (x) [1.2.3.4]:port`
 * - Apache error log `[Sat Jun 01 02:17:42 2013] [error] [client 1.2.3.4] ...`, nginx/Apache access (CLF)
 * - portsentry `1403884279 - 06/27/2014 17:51:19 Host: 1.2.3.4/1.2.3.4 Port: 1 TCP Blocked`
 *
 * Each record becomes a kind:'log' event whose src is the remote (offending)
 * address; dport is set where the service fixes it (ssh 22, smtpd 25).
 */
import type { NetEvent } from '../../events/event';
import { IPPROTO_TCP, IPPROTO_UDP } from '../../events/event';
import type { LineContext, LineParser } from '../reader';
import { fractionToMicros, monthNumber } from '../../util/time';
import { baseEvent, exactTime, isIP, isIPv4, leadingTime, localTime, offsetMinutes, portNumber, setAddrs, type LineAt, type ParsedTime } from './common';

type Service = 'fail2ban' | 'ssh' | 'smtp' | 'http' | 'portsentry' | 'other';

/** "prog[pid]: ", fail2ban's "fail2ban.actions        [123]: ", "[sshd]: "; tried before HOST_PROGRAM so "sshd[1]: Disconnecting: .." keeps sshd. */
const PROGRAM = /^()(?:([A-Za-z][\w./-]*)\s*(?:\[(\d+)\])?|\[([A-Za-z][\w./-]*)\]):?\s+/;
/** "host prog[pid]: " */
const HOST_PROGRAM = /^(\S+)\s+([A-Za-z][\w./-]*)\s*(?:\[(\d+)\])?:\s+/;
/** RFC 5424 after the time: HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA. */
const SYSLOG5424 = /^(\S+) (\S+) (\S+) (\S+) (?:-|(?:\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])+) ?/;
const APACHE_TIME = /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\d{4})\]\s*/;
const CLF = /^(\S+) \S+ \S+ \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] "([^"]*)" (\d{3}) /;
const PORTSENTRY = /Host: (\S+)\/(\S+) Port: (\d+) (TCP|UDP) (\w+)/;
const FAIL2BAN_ACTION = /\[([^\]]+)\]\s+(Ban|Unban|Found|Restore Ban|Already banned|Ignore|Increase Ban)\s+(\S+)/;
const EXIM_WORDS = /authenticator failed|\bH=|SMTP (?:call|protocol|connection|command)|no (?:host name|IP address) found|sender verify|rejected (?:RCPT|connection|MAIL)|dropped: too many/;

const SSH_FROM = / from (\S+) port (\d+) ssh\d(?=$|:)/;
const RHOST = /\brhost=(\S+)/;
const CLIENT = /\[(?:client|remote) ([^\]\s]+)\]|, client: ([^,\s]+)/;
const ON_PORT = / on (\S+) port (\d+)/;
/** "[1.2.3.4]" and "[1.2.3.4]:port", not exim's helo "([1.2.3.4])" nor its local interface "I=[..]". */
const BRACKETED = /(?<!\(|\bI=)\[([0-9A-Fa-f:.]+)\](?::(\d+))?/g;

export const fail2banParser: LineParser = {
  format: 'fail2ban',
  match(line) {
    if (line.startsWith('#')) return -1;
    const h = head(line, undefined);
    if (!h) return 0;
    switch (h.service) {
      case 'fail2ban': return 0.97;
      case 'ssh': case 'portsentry': return 0.92;
      case 'smtp': return 0.88;
      case 'http': return h.clf ? 0.7 : 0.85;
      default: return 0;
    }
  },
  parse(line, at, ctx) {
    if (line.startsWith('#')) return null;
    const h = head(line, ctx);
    if (!h || h.service === 'other') return null;
    if (!Number.isFinite(h.time.ts)) return weird(ctx, at, 'bad_timestamp', 'time stamp out of range');
    return build(line, at, h);
  },
};

interface Head {
  time: ParsedTime;
  program?: string;
  /** The message after the time, host and program. */
  msg: string;
  service: Service;
  clf?: RegExpExecArray;
}

function head(line: string, ctx: LineContext | undefined): Head | null {
  const clf = CLF.exec(line);
  if (clf) {
    const month = monthNumber(clf[3]);
    if (!month) return null;
    const ts = exactTime({ year: +clf[4], month, day: +clf[2], hour: +clf[5], minute: +clf[6], second: +clf[7] }, offsetMinutes(clf[8]) ?? 0);
    return { time: { ts, inferred: false, end: 0 }, msg: `"${clf[9]}" ${clf[10]}`, service: 'http', clf };
  }
  const ap = APACHE_TIME.exec(line);
  if (ap) {
    const month = monthNumber(ap[1]);
    if (!month) return null;
    const t = localTime(ctx, { year: +ap[7], month, day: +ap[2], hour: +ap[3], minute: +ap[4], second: +ap[5], micros: fractionToMicros(ap[6]) });
    const msg = line.slice(ap[0].length);
    return CLIENT.test(msg) ? { time: { ...t, end: ap[0].length }, msg, service: 'http' } : null;
  }
  let time = serviceTime(line, ctx);
  let rest: string;
  let program: string | undefined;
  if (time) {
    rest = line.slice(time.end);
    if (rest.includes('Port: ') && PORTSENTRY.test(rest)) return { time, msg: rest, service: 'portsentry' };
    if (NGINX_ERROR.test(rest) && rest.includes(', client: ')) return { time, program: 'nginx', msg: rest, service: 'http' };
    const is5424 = /^<\d{1,3}>1 /.test(line);
    let p = is5424 ? SYSLOG5424.exec(rest) : PROGRAM.exec(rest);
    // "prog[pid]" needs the colon unless bracketed ("[sshd] User root from ..").
    if (p && !is5424 && !p[4] && !/:\s+$/.test(p[0])) p = null;
    if (!p && !is5424) p = HOST_PROGRAM.exec(rest);
    if (p) {
      program = p[2] ?? p[4];
      rest = rest.slice(p[0].length);
    }
  } else {
    // "mail.example.com exim[3751842]: 2021-07-17 23:20:49 ...": a bare syslog tag, then the service's own stamp.
    const p = HOST_PROGRAM.exec(line);
    if (!p) return null;
    program = p[2];
    rest = line.slice(p[0].length);
    time = serviceTime(rest, ctx);
    if (!time) return null;
    rest = rest.slice(time.end);
  }
  // nginx error log: "[error] 2833#0: *16336 open() ... failed, client: 5.7.9.2, server: ..".
  if (NGINX_ERROR.test(rest) && rest.includes(', client: ')) return { time, program: program ?? 'nginx', msg: rest, service: 'http' };
  return { time, program, msg: rest, service: classify(program, rest) };
}

const NGINX_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) /;
const NGINX_ERROR = /^\[(?:emerg|alert|crit|error|warn|notice|info)\] \d+#\d+: /;

/** A syslog/ISO/epoch stamp, or nginx's error-log "2015/01/21 10:56:10". */
function serviceTime(s: string, ctx: LineContext | undefined): ParsedTime | null {
  const t = leadingTime(s, ctx);
  if (t) return t;
  const m = NGINX_TIME.exec(s);
  if (!m) return null;
  const r = localTime(ctx, { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6] });
  return { ts: r.ts, inferred: true, end: m[0].length };
}

function classify(program: string | undefined, msg: string): Service {
  if (program) {
    const p = program.toLowerCase();
    if (p.startsWith('fail2ban')) return FAIL2BAN_ACTION.test(msg) || msg.includes('fail2ban.') ? 'fail2ban' : 'other';
    if (p === 'sshd' || p === 'sshd-session' || p === 'dropbear' || p.startsWith('sshd-')) return 'ssh';
    if (p.startsWith('postfix') || p.startsWith('exim') || p === 'sendmail' || p === 'sm-mta') return 'smtp';
    if ((p.startsWith('httpd') || p.startsWith('apache')) && CLIENT.test(msg)) return 'http';
    if (p === 'portsentry') return 'portsentry';
    // "2013-06-10 10:10:59 H=host [1.2.3.4] ..." has no program: exim's own log.
    if (EXIM_WORDS.test(`${program}: ${msg}`)) return 'smtp';
    return 'other';
  }
  if (EXIM_WORDS.test(msg)) return 'smtp';
  if (FAIL2BAN_ACTION.test(msg) && msg.includes('fail2ban')) return 'fail2ban';
  return 'other';
}

function build(line: string, at: LineAt, h: Head): NetEvent | null {
  const ev = baseEvent('log', h.time, line, at);
  const msg = h.msg.trim();
  ev.message = h.program ? `${h.program}: ${msg}` : msg;
  let addr: string | undefined;
  let sport: number | undefined;
  switch (h.service) {
    case 'fail2ban': {
      const m = FAIL2BAN_ACTION.exec(msg);
      if (m) addr = m[3];
      break;
    }
    case 'portsentry': {
      const m = PORTSENTRY.exec(msg)!;
      addr = m[2];
      ev.dport = Number(m[3]);
      ev.proto = m[4] === 'TCP' ? IPPROTO_TCP : IPPROTO_UDP;
      ev.message = `portsentry: ${m[4]} port ${m[3]} ${m[5]}`;
      break;
    }
    case 'http':
      if (h.clf) addr = h.clf[1];
      else { const c = CLIENT.exec(msg); addr = c?.[1] ?? c?.[2]; }
      ev.proto = IPPROTO_TCP;
      break;
    case 'ssh': {
      ev.proto = IPPROTO_TCP;
      ev.dport = 22;
      const on = ON_PORT.exec(msg);
      if (on && isIP(on[1])) { ev.dst = on[1]; ev.dport = Number(on[2]); }
      const m = SSH_FROM.exec(msg);
      if (m) { addr = m[1]; sport = portNumber(m[2]); }
      else addr = RHOST.exec(msg)?.[1];
      break;
    }
    case 'smtp': {
      ev.proto = IPPROTO_TCP;
      const p = h.program ?? '';
      if (p.startsWith('postfix')) ev.dport = p.includes('submission') ? 587 : p.includes('smtps') ? 465 : 25;
      BRACKETED.lastIndex = 0;
      for (let b = BRACKETED.exec(msg); b; b = BRACKETED.exec(msg)) {
        if (isIP(b[1])) { addr = b[1]; sport = portNumber(b[2]); break; }
      }
      const local = /\bI=\[[^\]]+\]:(\d+)/.exec(msg);
      if (local) ev.dport = Number(local[1]);
      break;
    }
  }
  const found = addr ? cleanAddr(addr) : firstAddress(msg);
  if (!found) return null;
  if (found.port !== undefined && sport === undefined) sport = found.port;
  const dst = ev.dst;
  setAddrs(ev, found.addr, dst);
  if (sport !== undefined) ev.sport = sport;
  return ev;
}

/** "1.2.3.4:5543", "::ffff:1.2.3.4:60495", "[2001:db8::1]:80" -> address and port. */
function cleanAddr(t: string): { addr: string; port?: number } | null {
  const s = t.replace(/^[[(<"']+|[\])>"',;.]+$/g, '');
  if (isIP(s)) return { addr: s };
  // "from 198.51.100.34: 11: Bye Bye"
  if (s.endsWith(':') && isIPv4(s.slice(0, -1))) return { addr: s.slice(0, -1) };
  const m = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d{1,5})$/.exec(s);
  if (m && isIP(m[1]) && (m[1].includes('.') || s.startsWith('['))) return { addr: m[1], port: Number(m[2]) };
  return null;
}

/** The first address-looking word, for wordings without a fixed field (sshd has dozens). */
function firstAddress(msg: string): { addr: string; port?: number } | null {
  const words = msg.split(/[\s,]+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!/[.:]/.test(w) || !/\d/.test(w)) continue;
    const a = cleanAddr(w.startsWith('rhost=') ? w.slice(6) : w);
    if (a) {
      if (a.port === undefined && words[i + 1] === 'port') {
        const p = portNumber(words[i + 2]?.replace(/[:\]]+.*$/, ''));
        if (p !== undefined) a.port = p;
      }
      return a;
    }
  }
  return null;
}

function weird(ctx: LineContext, at: LineAt, code: string, message: string): null {
  ctx.diag.weird({ code, file: at.file, line: at.line, offset: at.offset, message });
  return null;
}
