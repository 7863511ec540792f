import { IPPROTO_TCP, type NetEvent } from '../events/event';
import type { DetectContext, Finding } from './detector';
import { ref, sample } from './excerpt';
import { strength } from './common';
import { streamingDetector, type Accumulator, type StreamContext } from './stream';
import { TimeSample, eventOrder, slim } from './stream-evidence';
import { streamSubject } from './stream-subject';
import { flowSession } from './brute-force/flows';
import { serviceFinding, sprayFinding, type Limits } from './brute-force/findings';
import { SessionTable, countsAlone, packetSession, sessionKey, type OpenSession, type ServerReply } from './brute-force/sessions';
import {
  AUTH_PORTS, MIN_FAILURES, MIN_SESSIONS, SESSION_RULE_EXEMPT, SPRAY_MIN_SESSIONS, SPRAY_MIN_TARGETS,
  chosenTally, earliest, mergeService, newService, serviceStart, type Service, type SessionSummary,
} from './brute-force/tally';

export { AUTH_PORTS } from './brute-force/tally';

/**
 * Password guessing from our host: many short sessions to a login service of
 * one target (or the same service across many targets), and, where the
 * protocol is clear text, the server's own "login failed" replies. Also the
 * complainant's log lines (sshd, fail2ban) that name our address.
 *
 * Sessions come from packets (brute-force/sessions.ts: a bounded table of
 * open sessions, each finished into its service's tally when the evidence
 * ends or the table needs room) or from flow records (argus, Zeek conn.log:
 * one record, one session; brute-force/flows.ts). Streaming: memory is
 * bounded by the table, the number of services and log sources, not by the
 * number of packets or sessions; two accumulators merge into what one pass finds.
 */

/** Services (our host -> target:port) tallied; sessions to further ones are counted, not kept. */
export const MAX_SERVICES = 20_000;
/** Log sources (addresses named by failure lines) kept. */
const MAX_LOG_SOURCES = 1_000;
/** Failure lines kept per source for evidence. */
const MAX_LOG_SAMPLE = 256;

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

function serverReply(ev: NetEvent): ServerReply | undefined {
  if (!ev.payload || (ev.payloadLength ?? 0) === 0) return undefined;
  const text = decoder.decode(ev.payload.subarray(0, 64));
  const hit = FAILURE_REPLIES.find(([re]) => re.test(text));
  if (hit) return { failure: hit[1] };
  return SUCCESS_REPLIES.some((re) => re.test(text)) ? { success: true } : undefined;
}

export class BruteForceAccumulator implements Accumulator {
  private readonly isSubject: (a: string | undefined) => boolean;
  private readonly accused: string[];
  private readonly table: SessionTable;
  private services = new Map<string, Service>();
  private untracked = 0;
  private logHits = new Map<string, TimeSample>();
  private logOverflow = 0;

  constructor(ctx: StreamContext) {
    this.isSubject = streamSubject(ctx);
    this.accused = ctx.accused;
    this.table = new SessionTable((s) => this.retire(s));
  }

  add(ev: NetEvent): void {
    if (ev.kind === 'log' || ev.kind === 'alert') { this.addLog(ev); return; }
    if (ev.proto !== IPPROTO_TCP || ev.src === undefined || ev.dst === undefined) return;
    if (ev.kind === 'flow') {
      if (ev.flow && this.isSubject(ev.src) && ev.dport !== undefined && AUTH_PORTS.has(ev.dport)) {
        this.tally(ev.src, ev.dst, ev.dport, flowSession(ev), true);
      }
      return;
    }
    if (ev.kind !== 'packet') return;
    if (this.isSubject(ev.src) && ev.dport !== undefined && AUTH_PORTS.has(ev.dport)) {
      this.table.add(ev, sessionKey(ev.src, ev.src4, ev.sport ?? 0, ev.dst, ev.dst4, ev.dport), ev.src, ev.dst, ev.dport, true);
    } else if (this.isSubject(ev.dst) && ev.sport !== undefined && AUTH_PORTS.has(ev.sport)) {
      this.table.add(ev, sessionKey(ev.dst, ev.dst4, ev.dport ?? 0, ev.src, ev.src4, ev.sport), ev.dst, ev.src, ev.sport, false, serverReply(ev));
    }
  }

  merge(other: Accumulator): void {
    const o = other as BruteForceAccumulator;
    this.table.merge(o.table);
    for (const [k, theirs] of o.services) {
      const mine = this.services.get(k);
      if (mine) mergeService(mine, theirs);
      else if (this.services.size < MAX_SERVICES) this.services.set(k, theirs);
      else this.untracked += theirs.packets.sessions + theirs.flows.sessions;
    }
    this.untracked += o.untracked;
    for (const [who, theirs] of o.logHits) {
      const mine = this.logHits.get(who);
      if (mine) mine.merge(theirs);
      else if (this.logHits.size < MAX_LOG_SOURCES) this.logHits.set(who, theirs);
      else this.logOverflow += theirs.count;
    }
    this.logOverflow += o.logOverflow;
  }

  finish(_ctx: DetectContext): Finding[] {
    // A service none of whose sessions was an attempt or met a refusal can never be a finding, and a sweep of a
    // login port leaves one such session per host it touched (22,000 on the bench's scan) open at the end. So the
    // sessions that count are finished first; the others then only add to services that already exist.
    this.table.drain(countsAlone, (s) => this.retire(s, countsAlone(s)));
    const limits: Limits = { sessionTableOverflow: this.table.evicted, untrackedSessions: this.untracked };
    const findings: Finding[] = [];
    const sprays = new Map<string, Service[]>();
    const ordered = [...this.services.values()].sort((a, b) => serviceStart(a) - serviceStart(b) || (a.key < b.key ? -1 : 1));
    for (const svc of ordered) {
      const { tally: t } = chosenTally(svc);
      const exempt = SESSION_RULE_EXEMPT.has(svc.port);
      const bySessions = !exempt && t.attempts >= MIN_SESSIONS && t.short;
      const byFailures = svc.failures >= MIN_FAILURES;
      if (bySessions || byFailures) {
        findings.push(serviceFinding(svc, limits));
      } else if (!exempt && t.attempts >= 2 && t.short) {
        const k = `${svc.src}|${svc.port}`;
        const list = sprays.get(k) ?? [];
        list.push(svc);
        sprays.set(k, list);
      }
    }
    for (const list of sprays.values()) {
      const total = list.reduce((n, s) => n + chosenTally(s).tally.attempts, 0);
      if (list.length < SPRAY_MIN_TARGETS || total < SPRAY_MIN_SESSIONS) continue;
      findings.push(sprayFinding(list, limits));
    }
    findings.push(...this.logFindings());
    return findings;
  }

  /** A finished session into its service's tally; `mayOpen` false: only into a service that already exists. */
  private retire(s: OpenSession, mayOpen = true): void {
    if (!mayOpen && !this.services.has(serviceKey(s.src, s.dst, s.port))) return;
    const summary = packetSession(s);
    if (!summary) return;
    const svc = this.tally(s.src, s.dst, s.port, summary, false);
    if (!svc || s.failures === 0) return;
    svc.failures += s.failures;
    for (const k of s.failureKinds) svc.failureKinds.add(k);
    svc.failureFirst = earliest(svc.failureFirst, s.failureFirst);
  }

  private tally(src: string, dst: string, port: number, s: SessionSummary, flow: boolean): Service | undefined {
    const key = serviceKey(src, dst, port);
    let svc = this.services.get(key);
    if (!svc) {
      if (this.services.size >= MAX_SERVICES) { this.untracked++; return undefined; }
      svc = newService(key, src, dst, port);
      this.services.set(key, svc);
    }
    (flow ? svc.flows : svc.packets).add(s);
    return svc;
  }

  private addLog(ev: NetEvent): void {
    const text = `${ev.message ?? ''} ${ev.raw ?? ''}`;
    if (!LOG_FAILURE.test(text)) return;
    const who = this.accused.find((a) => ev.src === a || mentions(text, a)) ?? (this.isSubject(ev.src) ? ev.src : undefined);
    if (!who) return;
    let s = this.logHits.get(who);
    if (!s) {
      if (this.logHits.size >= MAX_LOG_SOURCES) { this.logOverflow++; return; }
      s = new TimeSample(MAX_LOG_SAMPLE);
      this.logHits.set(who, s);
    }
    s.add(slim(ev));
  }

  private logFindings(): Finding[] {
    const hits = [...this.logHits].map(([who, s]) => ({ who, s, events: s.events() }));
    hits.sort((a, b) => eventOrder(a.events[0], b.events[0]));
    const out: Finding[] = [];
    for (const { who, s, events } of hits) {
      if (s.count < 3) continue;
      out.push({
        id: 'brute-force-logs', detector: 'brute-force', leaning: 'compromise', strength: strength(0.55 + Math.min(0.3, s.count / 100)),
        summary: `${s.count} failed-login or ban records in the logs name ${who}.`,
        explanation: 'These are the complainant\'s (or our) authentication logs; they show the attempts were made from our address, '
          + 'but not by which program: the captures decide that.',
        evidence: sample(events, 12).map(ref),
        // Sources past MAX_LOG_SOURCES (possible only when no address is accused) had their lines counted, not kept.
        facts: { source: who, records: s.count, ...(this.logOverflow ? { recordsOfSourcesNotKept: this.logOverflow } : {}) },
      });
    }
    return out;
  }
}

function serviceKey(src: string, dst: string, port: number): string {
  return `${src}|${dst}|${port}`;
}

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

export const bruteForce = streamingDetector('brute-force', (ctx) => new BruteForceAccumulator(ctx));
