import { IPPROTO_TCP, TCP_ACK, TCP_SYN, type NetEvent } from '../events/event';
import type { DetectContext, Detector, Finding } from './detector';
import { EvidenceSampler, ref } from './excerpt';
import { median, rate, reverseKey, seconds, strength, subjectTest, tupleKey } from './common';

/**
 * Password guessing from our host: many short sessions to a login service of
 * one target (or the same service across many targets), and, where the
 * protocol is clear text, the server's own "login failed" replies. Also the
 * complainant's log lines (sshd, fail2ban) that name our address.
 */
export const AUTH_PORTS = new Map<number, string>([
  [21, 'FTP'], [22, 'SSH'], [23, 'Telnet'], [25, 'SMTP'], [110, 'POP3'], [143, 'IMAP'], [445, 'SMB'],
  [465, 'SMTPS'], [587, 'SMTP submission'], [993, 'IMAPS'], [995, 'POP3S'], [1433, 'MS-SQL'], [3306, 'MySQL'],
  [3389, 'RDP'], [5432, 'PostgreSQL'], [5900, 'VNC'], [2222, 'SSH (alt)'], [2323, 'Telnet (alt)'],
]);
/** Sessions to one service of one target before we call it guessing (fail2ban's default maxretry is 5; we want clearly more). */
const MIN_SESSIONS = 8;
/** A login attempt takes seconds; interactive or transfer sessions last longer. */
const MAX_MEDIAN_SESSION_S = 30;
const MIN_FAILURES = 5;
/** Spraying one service over many targets. */
const SPRAY_MIN_TARGETS = 5;
const SPRAY_MIN_SESSIONS = 20;
/** Mail servers open many short SMTP sessions to big MXs; on port 25 only failed AUTH replies count. */
const SESSION_RULE_EXEMPT = new Set([25]);

/**
 * Server replies that mean "login failed", by clear-text protocol: FTP 530
 * (RFC 959), SMTP 535 (RFC 4954), POP3 -ERR after PASS (RFC 1939), IMAP
 * tagged NO (RFC 9051), telnet/login(1) "Login incorrect".
 */
const FAILURE_REPLIES: Array<[RegExp, string]> = [
  [/^530[ -]/, 'FTP 530'], [/^535[ -]/, 'SMTP 535'], [/^-ERR/, 'POP3 -ERR'], [/^\S+ NO /, 'IMAP NO'],
  [/Login incorrect|Authentication failed|Access denied/i, 'login failure text'],
];
/**
 * Server replies that mean "logged in": FTP 230 (RFC 959), SMTP 235 (RFC 4954), the tagged OK that
 * completes IMAP LOGIN or AUTHENTICATE (RFC 9051), POP3's +OK to PASS as servers word it ("Logged in",
 * RFC 1939's "maildrop ... ready"). A session the server let in is a login that worked, not a guess.
 */
const SUCCESS_REPLIES: RegExp[] = [
  /^230[ -]/, /^235[ -]/, /^[^*\s]\S* OK (?:\[[^\]]*\] )?(?:LOGIN|AUTHENTICATE) completed/, /^[^*\s]\S* OK .*\bLogged in\b/, /^\+OK .*(?:logged in|maildrop)/i,
];
/** Complainant log lines that report failed logins or a ban (OpenSSH auth.log, dropbear's svr-auth.c, fail2ban.log). */
const LOG_FAILURE = /(Failed password|Invalid user|authentication failure|Failed publickey|maximum authentication attempts|Did not receive identification|Bad password attempt|attempt for nonexistent user|Max auth tries reached|\bBan\b|brute|login failed|auth(entication)? fail)/i;

const decoder = new TextDecoder('latin1');

interface Session {
  first: NetEvent;
  firstTs: number;
  lastTs: number;
  established: boolean;
  failures: number;
  succeeded: boolean;
}

interface Service {
  src: string;
  dst: string;
  port: number;
  sessions: Session[];
  failures: number;
  failureKinds: Set<string>;
  failureEvents: NetEvent[];
}

export const bruteForce: Detector = {
  id: 'brute-force',
  detect(ctx: DetectContext): Finding[] {
    const isSubject = subjectTest(ctx);
    const sessions = new Map<string, Session>();
    const services = new Map<string, Service>();
    const logHits = new Map<string, EvidenceSampler>();

    for (const ev of ctx.events) {
      if (ev.kind === 'log' || ev.kind === 'alert') {
        const text = `${ev.message ?? ''} ${ev.raw ?? ''}`;
        if (!LOG_FAILURE.test(text)) continue;
        const who = ctx.accused.find((a) => ev.src === a || mentions(text, a)) ?? (isSubject(ev.src) ? ev.src : undefined);
        if (!who) continue;
        let s = logHits.get(who);
        if (!s) { s = new EvidenceSampler(); logHits.set(who, s); }
        s.add(ev);
        continue;
      }
      if (ev.kind !== 'packet' || ev.proto !== IPPROTO_TCP || ev.src === undefined || ev.dst === undefined) continue;
      const flags = ev.tcpFlags ?? 0;
      if (isSubject(ev.src) && ev.dport !== undefined && AUTH_PORTS.has(ev.dport)) {
        const k = tupleKey(ev);
        let s = sessions.get(k);
        if (!s) {
          // Only conversations our host opens with a SYN are its logins.
          if ((flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) continue;
          s = { first: ev, firstTs: ev.ts, lastTs: ev.ts, established: false, failures: 0, succeeded: false };
          sessions.set(k, s);
          const sk = `${ev.src}|${ev.dst}|${ev.dport}`;
          let svc = services.get(sk);
          if (!svc) {
            svc = { src: ev.src, dst: ev.dst, port: ev.dport, sessions: [], failures: 0, failureKinds: new Set(), failureEvents: [] };
            services.set(sk, svc);
          }
          svc.sessions.push(s);
        }
        s.lastTs = ev.ts;
      } else if (isSubject(ev.dst) && ev.sport !== undefined && AUTH_PORTS.has(ev.sport)) {
        const s = sessions.get(reverseKey(ev));
        if (!s) continue;
        s.lastTs = ev.ts;
        if (flags & TCP_SYN && flags & TCP_ACK) s.established = true;
        if (ev.payload && (ev.payloadLength ?? 0) > 0) {
          const text = decoder.decode(ev.payload.subarray(0, 64));
          const hit = FAILURE_REPLIES.find(([re]) => re.test(text));
          if (hit) {
            s.failures++;
            const svc = services.get(`${ev.dst}|${ev.src}|${ev.sport}`)!;
            svc.failures++;
            svc.failureKinds.add(hit[1]);
            if (svc.failureEvents.length < 64) svc.failureEvents.push(ev);
          } else if (SUCCESS_REPLIES.some((re) => re.test(text))) {
            s.succeeded = true;
          }
        }
      }
    }

    const findings: Finding[] = [];
    const sprays = new Map<string, Service[]>();
    for (const svc of services.values()) {
      // Sessions the server let in without a refusal are logins that worked: they are not counted as attempts.
      const est = svc.sessions.filter((s) => s.established && (!s.succeeded || s.failures > 0));
      const durations = est.map((s) => (s.lastTs - s.firstTs) / 1e6);
      const med = median(durations);
      const bySessions = !SESSION_RULE_EXEMPT.has(svc.port) && est.length >= MIN_SESSIONS && med <= MAX_MEDIAN_SESSION_S;
      const byFailures = svc.failures >= MIN_FAILURES;
      if (bySessions || byFailures) {
        findings.push(serviceFinding(svc, est, med));
      } else if (!SESSION_RULE_EXEMPT.has(svc.port) && est.length >= 2 && med <= MAX_MEDIAN_SESSION_S) {
        const k = `${svc.src}|${svc.port}`;
        const list = sprays.get(k) ?? [];
        list.push(svc);
        sprays.set(k, list);
      }
    }
    for (const list of sprays.values()) {
      const total = list.reduce((n, s) => n + s.sessions.filter((x) => x.established && (!x.succeeded || x.failures > 0)).length, 0);
      if (list.length < SPRAY_MIN_TARGETS || total < SPRAY_MIN_SESSIONS) continue;
      findings.push(sprayFinding(list, total));
    }
    for (const [who, s] of logHits) {
      if (s.count < 3) continue;
      findings.push({
        id: 'brute-force-logs', detector: 'brute-force', leaning: 'compromise', strength: strength(0.55 + Math.min(0.3, s.count / 100)),
        summary: `${s.count} failed-login or ban records in the logs name ${who}.`,
        explanation: 'These are the complainant\'s (or our) authentication logs; they show the attempts were made from our address, '
          + 'but not by which program: the captures decide that.',
        evidence: s.refs(),
        facts: { source: who, records: s.count },
      });
    }
    return findings;
  },
};

/**
 * `addr` as a whole address in the text: 192.0.2.1 is not in "rhost=192.0.2.112", but it is in
 * "from ::ffff:192.0.2.1:5543" (a mapped address, a port).
 */
function mentions(text: string, addr: string): boolean {
  const v6 = addr.includes(':');
  for (let i = text.indexOf(addr); i >= 0; i = text.indexOf(addr, i + 1)) {
    const before = text[i - 1] ?? ' ';
    const after = text.slice(i + addr.length, i + addr.length + 2);
    if (v6 ? /[\w:.]/.test(before) || /^[\w:]/.test(after) : /[\w.]/.test(before) || /^(?:\w|\.\w)/.test(after)) continue;
    return true;
  }
  return false;
}

function sessionEvidence(sessions: Session[], extra: NetEvent[]): ReturnType<typeof ref>[] {
  const sampler = new EvidenceSampler(3, 64);
  for (const s of sessions) sampler.add(s.first);
  const evs = [...sampler.events(extra.length ? 8 : 12), ...extra.slice(0, 4)];
  return evs.sort((a, b) => a.ts - b.ts).map(ref);
}

function serviceFinding(svc: Service, est: Session[], med: number): Finding {
  const name = AUTH_PORTS.get(svc.port)!;
  const first = svc.sessions[0].firstTs;
  const last = svc.sessions[svc.sessions.length - 1].lastTs;
  const span = seconds(first, last);
  const failText = svc.failures ? ` The server answered "login failed" ${svc.failures} times (${[...svc.failureKinds].join(', ')}).` : '';
  return {
    id: 'brute-force-sessions', detector: 'brute-force', leaning: 'compromise',
    strength: strength((svc.failures >= MIN_FAILURES ? 0.8 : 0.6) + Math.min(0.15, est.length / 200)),
    summary: `${svc.src} opened ${svc.sessions.length} ${name} sessions to ${svc.dst}:${svc.port} in ${span} s`
      + ` (median ${Math.round(med * 10) / 10} s each)${svc.failures ? `, ${svc.failures} refused logins` : ''}.`,
    explanation: `Short, repeated sessions to a login service are how password guessing looks on the wire: each session is one or a few `
      + `attempts, then the server drops the connection.${failText}`
      + (svc.port === 22 || svc.port === 3389 ? ' The protocol is encrypted, so the capture cannot show the passwords, only the rhythm.' : ''),
    evidence: sessionEvidence(svc.sessions, svc.failureEvents),
    facts: {
      source: svc.src, target: svc.dst, port: svc.port, service: name, sessions: svc.sessions.length, established: est.length,
      medianSessionSeconds: Math.round(med * 100) / 100, loginFailures: svc.failures, failureKinds: [...svc.failureKinds],
      spanSeconds: span, sessionsPerMinute: Math.round(rate(svc.sessions.length, first, last) * 60 * 100) / 100,
    },
  };
}

function sprayFinding(list: Service[], total: number): Finding {
  const { src, port } = list[0];
  const name = AUTH_PORTS.get(port)!;
  const all = list.flatMap((s) => s.sessions).sort((a, b) => a.firstTs - b.firstTs);
  return {
    id: 'brute-force-spray', detector: 'brute-force', leaning: 'compromise', strength: strength(0.55 + Math.min(0.25, list.length / 200)),
    summary: `${src} opened ${total} short ${name} sessions to ${list.length} different hosts on port ${port}.`,
    explanation: 'Trying the same login service on many hosts with a couple of short sessions each is credential spraying (Mirai and its kin do it on telnet and SSH).',
    evidence: sessionEvidence(all, []),
    facts: { source: src, port, service: name, targets: list.length, sessions: total, targetSample: list.slice(0, 20).map((s) => s.dst) },
  };
}
