import { beforeEach, describe, expect, it } from 'vitest';
import { bruteForce } from '../../../../analysis/detect/brute-force';
import { AUTH_PORTS } from '../../../../analysis/detect/brute-force/tally';
import type { Finding } from '../../../../analysis/detect/detector';
import type { NetEvent } from '../../../../analysis/events/event';
import { makeContext } from '../../../helpers/context';
import { logLine, resetPacketNumbers, tcp } from '../../../helpers/events';

const US = '198.51.100.90';
const THEM = '192.0.2.10';
const enc = new TextEncoder();
beforeEach(() => resetPacketNumbers());

interface Login { dst?: string; port?: number; start: number; seconds?: number; reply?: string; sport?: number }

/** One login attempt from our host: handshake, the server's reply, FIN `seconds` after the SYN. */
function login(l: Login): NetEvent[] {
  const dst = l.dst ?? THEM;
  const port = l.port ?? 22;
  const sport = l.sport ?? 40000 + Math.round(l.start * 10);
  const c = { src: US, dst, sport, dport: port };
  const s = { src: dst, dst: US, sport: port, dport: sport };
  const out = [
    tcp({ ...c, flags: 'S', ts: l.start }),
    tcp({ ...s, flags: 'SA', ts: l.start + 0.01 }),
    tcp({ ...c, flags: 'A', ts: l.start + 0.02 }),
  ];
  if (l.reply) out.push(tcp({ ...s, flags: 'PA', payloadLength: l.reply.length, payload: enc.encode(l.reply), ts: l.start + 0.05 }));
  out.push(tcp({ ...c, flags: 'FA', ts: l.start + (l.seconds ?? 2) }));
  return out;
}

const logins = (n: number, l: Omit<Login, 'start'> & { every?: number } = {}): NetEvent[] =>
  Array.from({ length: n }, (_, i) => login({ ...l, start: 100 + i * (l.every ?? 3) })).flat();
const detect = (events: NetEvent[]): Finding[] => bruteForce.detect(makeContext({ events, accused: [US] }));

describe('brute-force: sessions to one service of one target', () => {
  it('8 short established sessions are guessing, 7 are not', () => {
    const [f, ...rest] = detect(logins(8));
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ source: US, target: THEM, port: 22, service: 'SSH', sessions: 8, established: 8, medianSessionSeconds: 2, loginFailures: 0, spanSeconds: 23 });
    expect(f.summary).toBe(`${US} opened 8 SSH sessions to ${THEM}:22 in 23 s (median 2 s each).`);
    // The SYN of each session, by packet number (4 packets per session here).
    expect(f.evidence.map((e) => e.packet)).toEqual([1, 5, 9, 13, 17, 21, 25, 29]);
    expect(detect(logins(7))).toEqual([]);
  });

  it('a median session of 30 s is still a login attempt, 30.5 s is a session', () => {
    expect(detect(logins(8, { seconds: 30, every: 40 })).map((f) => f.facts?.medianSessionSeconds)).toEqual([30]);
    expect(detect(logins(8, { seconds: 30.5, every: 40 }))).toEqual([]);
  });

  it('5 refused logins in clear text are guessing, 4 are not', () => {
    const [f] = detect(logins(5, { port: 21, reply: '530 Login incorrect.\r\n' }));
    expect(f.facts).toMatchObject({ service: 'FTP', sessions: 5, loginFailures: 5, failureKinds: ['FTP 530'] });
    expect(f.summary).toBe(`${US} opened 5 FTP sessions to ${THEM}:21 in 14 s (median 2 s each), 5 refused logins.`);
    expect(f.explanation).toContain('The server answered "login failed" 5 times (FTP 530).');
    expect(f.explanation).not.toContain('encrypted');
    // The five SYNs and the first four refusals, in time order.
    expect(f.evidence.map((e) => e.packet)).toEqual([1, 4, 6, 9, 11, 14, 16, 19, 21]);
    expect(f.strength).toBeGreaterThanOrEqual(0.8);
    expect(detect(logins(4, { port: 21, reply: '530 Login incorrect.\r\n' }))).toEqual([]);
  });

  it.each([
    [25, '535 5.7.8 Authentication credentials invalid\r\n', 'SMTP 535'],
    [110, '-ERR [AUTH] Authentication failed.\r\n', 'POP3 -ERR'],
    [143, 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n', 'IMAP NO'],
    [23, '\r\nLogin incorrect\r\n', 'login failure text'],
  ])('port %i: "%s" is a refused login (%s)', (port, reply, kind) => {
    const [f] = detect(logins(5, { port, reply }));
    expect(f.facts).toMatchObject({ port, loginFailures: 5, failureKinds: [kind] });
  });

  it('many short SMTP sessions are what a mail server does; only refused AUTH counts on port 25', () => {
    expect(detect(logins(30, { port: 25, reply: '250 2.0.0 Ok: queued\r\n' }))).toEqual([]);
    expect(detect(logins(5, { port: 25, reply: '535 5.7.8 Authentication credentials invalid\r\n' })).map((f) => f.facts?.service)).toEqual(['SMTP']);
  });

  it('the rhythm sentence for encrypted logins: SSH and RDP say it, Telnet does not', () => {
    expect(detect(logins(8, { port: 22 }))[0].explanation).toContain('The protocol is encrypted');
    expect(detect(logins(8, { port: 3389 }))[0].explanation).toContain('The protocol is encrypted');
    expect(detect(logins(8, { port: 23 }))[0].explanation).not.toContain('encrypted');
  });

  // The IANA assignments, written out: the detector's own table cannot be its oracle.
  it.each([
    [21, 'FTP'], [22, 'SSH'], [23, 'Telnet'], [110, 'POP3'], [143, 'IMAP'], [445, 'SMB'], [465, 'SMTPS'], [587, 'SMTP submission'],
    [993, 'IMAPS'], [995, 'POP3S'], [1433, 'MS-SQL'], [3306, 'MySQL'], [3389, 'RDP'], [5432, 'PostgreSQL'], [5900, 'VNC'],
    [2222, 'SSH (alt)'], [2323, 'Telnet (alt)'],
  ])('port %i is a login service (%s)', (port, name) => {
    const [f] = detect(logins(8, { port }));
    expect(f.facts).toMatchObject({ port, service: name, sessions: 8 });
  });

  it('lists exactly those ports (25 is SMTP, judged by refusals only)', () => {
    expect([...AUTH_PORTS.keys()].sort((a, b) => a - b)).toEqual([21, 22, 23, 25, 110, 143, 445, 465, 587, 993, 995, 1433, 2222, 2323, 3306, 3389, 5432, 5900]);
  });

  it.each([24, 26, 80, 443, 8080])('port %i is not a login service', (port) => {
    expect(detect(logins(8, { port }))).toEqual([]);
  });
});

describe('brute-force-spray: one service on many targets', () => {
  const spray = (targets: number, each: number[]): NetEvent[] =>
    Array.from({ length: targets }, (_, h) => Array.from({ length: each[h % each.length] }, (_, i) => login({ dst: `203.0.113.${h + 1}`, port: 23, start: 100 + h * 30 + i * 3 })).flat()).flat();

  it('5 targets with 4 short Telnet sessions each (20 in all) are a spray', () => {
    const f = detect(spray(5, [4]));
    expect(f.map((x) => x.id)).toEqual(['brute-force-spray']);
    expect(f[0].facts).toEqual({
      source: US, port: 23, service: 'Telnet', targets: 5, sessions: 20,
      targetSample: ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5'],
    });
    expect(f[0].summary).toBe(`${US} opened 20 short Telnet sessions to 5 different hosts on port 23.`);
    expect(f[0].leaning).toBe('compromise');
    expect(f[0].evidence).toHaveLength(12);
    expect(f[0].evidence[0]).toMatchObject({ file: 'synthetic.pcap', packet: 1 });
    expect(f[0].evidence[0].excerpt).toContain(`${US}:41000 > 203.0.113.1:23 tcp [S] SYN`);
  });

  it('4 targets are too few even with 20 sessions; 19 sessions are too few even on 5 targets', () => {
    expect(detect(spray(4, [5]))).toEqual([]);
    expect(detect(spray(5, [4, 4, 4, 4, 3]))).toEqual([]);
  });

  it('two short sessions per target are enough: 10 targets with 2 each (20 in all) are a spray', () => {
    expect(detect(spray(10, [2])).map((f) => [f.id, f.facts?.targets, f.facts?.sessions])).toEqual([['brute-force-spray', 10, 20]]);
  });

  it('a session refused once before the server let it in is still an attempt', () => {
    // FTP allows USER/PASS again on the same connection: 530, then 230.
    const evs = Array.from({ length: 5 }, (_, h) => Array.from({ length: 4 }, (_, i) => {
      const l = login({ dst: `203.0.113.${h + 1}`, port: 21, start: 100 + h * 30 + i * 3, reply: '530 Login incorrect.\r\n' });
      const ok = tcp({ src: `203.0.113.${h + 1}`, dst: US, sport: 21, dport: l[0].sport!, flags: 'PA', payloadLength: 23, payload: enc.encode('230 Login successful.\r\n'), ts: 100 + h * 30 + i * 3 + 0.5 });
      return [...l, ok];
    }).flat()).flat();
    expect(detect(evs).map((f) => [f.id, f.facts?.sessions])).toEqual([['brute-force-spray', 20]]);
  });

  it('one session per target is no spray (20 targets, 20 sessions): a client trying each host once', () => {
    expect(detect(spray(20, [1]))).toEqual([]);
  });
});

describe('brute-force: legitimate clients', () => {
  it('a mail client checking POP3 every minute logs in successfully each time: no guessing', () => {
    expect(detect(logins(20, { port: 110, every: 60, seconds: 1, reply: '+OK Logged in.\r\n' }))).toEqual([]);
  });

  it.each([
    [21, '230 Login successful.\r\n'],
    [143, 'a001 OK LOGIN completed\r\n'],
    [143, 'a1 OK [CAPABILITY IMAP4rev1] Logged in\r\n'],
    [587, '235 2.7.0 Authentication successful\r\n'],
  ])('port %i: sessions the server accepted ("%s") are logins that worked', (port, reply) => {
    expect(detect(logins(12, { port, reply }))).toEqual([]);
  });

  it('a backup job holding long SSH sessions to its server is no guessing', () => {
    expect(detect(logins(20, { port: 22, every: 600, seconds: 400 }))).toEqual([]);
  });

  it('a guesser that succeeds once is still guessing', () => {
    const evs = [...logins(9, { port: 21, reply: '530 Login incorrect.\r\n' }), ...login({ port: 21, start: 200, reply: '230 Login successful.\r\n' })];
    const [f] = detect(evs);
    expect(f.facts).toMatchObject({ sessions: 10, loginFailures: 9 });
  });
});

describe('brute-force-logs', () => {
  const line = (i: number): NetEvent => logLine({ src: US, message: `sshd[99]: Failed password for root from ${US} port ${40000 + i} ssh2`, line: 10 + i });

  it('3 failed-login lines naming our host are a finding, 2 are not', () => {
    const [f] = detect([1, 2, 3].map(line));
    expect(f.facts).toEqual({ source: US, records: 3 });
    expect(f.summary).toBe(`3 failed-login or ban records in the logs name ${US}.`);
    expect(f.evidence.map((e) => [e.file, e.line])).toEqual([['auth.log', 11], ['auth.log', 12], ['auth.log', 13]]);
    expect(detect([1, 2].map(line))).toEqual([]);
  });

  it('an address counts as a whole: in "::ffff:a.b.c.d:port" it does, inside a longer address it does not', () => {
    const other = (t: string): NetEvent => logLine({ src: '203.0.113.5', message: t });
    const mapped = [1, 2, 3].map((i) => other(`dropbear[1]: Bad password attempt for 'root' from ::ffff:${US}:${5000 + i}`));
    expect(detect(mapped).map((f) => f.facts)).toEqual([{ source: US, records: 3 }]);
    const longer = [1, 2, 3].map((i) => other(`sshd[1]: pam_unix(sshd:auth): authentication failure; rhost=${US}${i} user=root`));
    expect(detect(longer)).toEqual([]);
    const v6 = (addr: string): NetEvent[] => [1, 2, 3].map((i) => other(`sshd[1]: Failed password for root from ${addr} port ${i} ssh2`));
    expect(bruteForce.detect(makeContext({ events: v6('2001:db8::10'), accused: ['2001:db8::1'] }))).toEqual([]);
    expect(bruteForce.detect(makeContext({ events: v6('2001:db8::1'), accused: ['2001:db8::1'] })).map((f) => f.facts?.records)).toEqual([3]);
  });

  it('a line that begins with the address names it too', () => {
    const evs = [1, 2, 3].map((i) => logLine({ src: '203.0.113.5', message: `${US}: authentication failure for user admin (attempt ${i})` }));
    expect(detect(evs).map((f) => f.facts)).toEqual([{ source: US, records: 3 }]);
  });

  it('successful logins in the log are no failures', () => {
    const ok = [1, 2, 3, 4].map((i) => logLine({ src: US, message: `sshd[99]: Accepted publickey for backup from ${US} port ${40000 + i} ssh2` }));
    expect(detect(ok)).toEqual([]);
  });
});
