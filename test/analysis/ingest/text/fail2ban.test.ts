import { describe, expect, it } from 'vitest';
import { fail2banParser } from '../../../../analysis/ingest/text/fail2ban';
import { corpus, fixture, iso, parseOne, readFile } from './helpers';
import { fixtureTrio } from './junk';

describe('fail2ban and the host logs it reads', () => {
  it('reads sshd failures: offender, its port, dport 22', async () => {
    const { events } = await readFile(fail2banParser, fixture('fail2ban', 'sshd.log'));
    expect(events).toHaveLength(20);
    expect(events[0]).toMatchObject({
      kind: 'log', src: '194.117.26.69', sport: 50273, dport: 22, proto: 6, timeInferred: true,
      message: 'sshd: Failed password for invalid user ROOT from 194.117.26.69 port 50273 ssh2',
    });
    expect(iso(events[0].ts)).toBe('2024-02-25T14:34:10.000Z');
  });

  it("reads fail2ban's own Ban/Unban lines", async () => {
    const { events } = await readFile(fail2banParser, corpus('hostlogs', 'fail2ban__recidive.log'));
    expect(events[0]).toMatchObject({ src: '1.2.3.4', message: 'fail2ban.actions: NOTICE [sendmail] Ban 1.2.3.4' });
    expect(events[0].ts % 1_000_000).toBe(388000);
    expect(events.some((e) => e.message?.includes('Unban'))).toBe(true);
  });

  it('ignores address look-alikes and log injection in sshd lines', () => {
    const inj = parseOne(fail2banParser, 'Feb 25 14:34:10 redbamboo sshd[2737]: Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port 58946 ssh2');
    expect(inj).toMatchObject({ src: '127.0.0.1', sport: 58946 });
    const db = parseOne(fail2banParser, 'Jul 10 23:53:52 host dropbear[825]: Bad password attempt for \'root\' from ::ffff:198.51.100.87:5543');
    expect(db).toMatchObject({ src: '198.51.100.87', sport: 5543, dport: 22 });
  });

  it('reads postfix, exim, Apache, nginx and portsentry lines', async () => {
    const pf = parseOne(fail2banParser, 'Jul 12 07:47:48 saturn postfix/smtpd[8738]: NOQUEUE: reject: RCPT from 1-2-3-4-example.com[1.2.3.4]: 554 5.7.1 <smtp@example.com>: Relay access denied');
    expect(pf).toMatchObject({ src: '1.2.3.4', dport: 25 });
    const ex = parseOne(fail2banParser, '2014-12-02 03:00:23 auth_plain authenticator failed for (rom182) [193.254.202.35]:41556 I=[10.0.0.1]:25: 535 Incorrect authentication data (set_id=webmaster)');
    expect(ex).toMatchObject({ src: '193.254.202.35', sport: 41556, dport: 25 });
    const ap = parseOne(fail2banParser, '[Sun Sep 14 21:44:43.008606 2014] [authz_core:error] [pid 10691] [client 192.3.9.178:44271] AH01630: client denied by server configuration: /var/www/');
    expect(ap).toMatchObject({ src: '192.3.9.178', proto: 6 });
    const ng = (await readFile(fail2banParser, corpus('hostlogs', 'fail2ban__nginx-botsearch.log'))).events[0];
    expect(ng).toMatchObject({ src: '12.34.56.78', ts: Date.UTC(2015, 0, 20, 18, 53, 28) * 1000 });
    expect(ng.timeInferred).toBeUndefined();
    const ps = (await readFile(fail2banParser, corpus('netfilter', 'fail2ban__portsentry.log'))).events;
    expect(ps[1]).toMatchObject({ src: '192.168.56.1', dport: 1, proto: 17, ts: 1403884279_000000 });
  });

  it('does not claim netfilter, snort or scanlogd syslog lines', () => {
    expect(fail2banParser.match('Mar 11 20:35:11 linux kernel: [463490.251762] DROP IN=eth1 OUT= SRC=192.168.10.55 DST=192.168.10.1 LEN=44 PROTO=TCP SPT=1 DPT=2')).toBe(0);
    expect(fail2banParser.match('Sep  5 16:05:26 dev snort: [1:1000017:0] UDP Connection [Priority: 3] {UDP} 10.150.10.44:55776 -> 10.25.10.22:32414')).toBe(0);
    expect(fail2banParser.match('Mar  5 21:44:43 srv scanlogd: 192.0.2.123 to 192.0.2.1 ports 80, 81, fSrpauxy, TOS 00 @20:44:43')).toBe(0);
  });

  fixtureTrio(fail2banParser, 'fail2ban', 'sshd', 'log', 20);
});
