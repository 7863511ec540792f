import { beforeEach, describe, expect, it } from 'vitest';
import { bruteForce } from '../../../analysis/detect/brute-force';
import { makeContext } from '../../helpers/context';
import { logLine, resetPacketNumbers, tcp, tcpSession } from '../../helpers/events';
import { corpusContext } from './corpus';

const US = '198.51.100.90';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());

describe('brute-force (synthetic)', () => {
  it('many short SSH sessions to one target', () => {
    const evs = [];
    for (let i = 0; i < 12; i++) evs.push(...tcpSession({ client: US, server: THEM, sport: 50000 + i, dport: 22, ts: 100 + i * 5, gap: 0.3 }));
    const [f, ...rest] = bruteForce.detect(makeContext({ events: evs, accused: [US] }));
    expect(rest).toEqual([]);
    expect(f.id).toBe('brute-force-sessions');
    expect(f.facts).toMatchObject({ service: 'SSH', sessions: 12, established: 12, target: THEM, port: 22 });
  });

  it('counts clear-text login failures (FTP 530)', () => {
    const evs = [];
    const enc = new TextEncoder();
    for (let i = 0; i < 6; i++) {
      evs.push(...tcpSession({ client: US, server: THEM, sport: 51000 + i, dport: 21, ts: 10 + i }));
      evs.push(tcp({ src: THEM, dst: US, sport: 21, dport: 51000 + i, flags: 'PA', payloadLength: 22, payload: enc.encode('530 Login incorrect.\r\n'), ts: 10 + i + 0.055 }));
    }
    const [f] = bruteForce.detect(makeContext({ events: evs, accused: [US] }));
    expect(f.facts?.loginFailures).toBe(6);
    expect(f.facts?.failureKinds).toEqual(['FTP 530']);
  });

  it('a few sessions, or long ones, are not guessing', () => {
    const evs = [];
    for (let i = 0; i < 3; i++) evs.push(...tcpSession({ client: US, server: THEM, sport: 50000 + i, dport: 22, ts: 100 + i * 5 }));
    for (let i = 0; i < 10; i++) evs.push(...tcpSession({ client: US, server: '192.0.2.20', sport: 52000 + i, dport: 22, ts: 100 + i * 500, gap: 20 }));
    expect(bruteForce.detect(makeContext({ events: evs, accused: [US] }))).toEqual([]);
  });

  it('reads failed-login log lines naming our host', () => {
    const evs = [1, 2, 3, 4].map((i) => logLine({ src: US, message: `sshd[99]: Failed password for root from ${US} port ${40000 + i} ssh2` }));
    const [f] = bruteForce.detect(makeContext({ events: evs, accused: [US] }));
    expect(f.id).toBe('brute-force-logs');
    expect(f.facts?.records).toBe(4);
    expect(f.evidence[0].line).toBe(1);
    // Logs name the address, not the program: the reply must not claim more than they show.
    expect(f.explanation).toContain('they show the attempts were made from our address, but not by which program');
  });
});

describe('brute-force on real captures', () => {
  it('zeek ssh_sshguess.pcap: 11 SSH sessions from 192.168.56.1', async () => {
    const [f] = bruteForce.detect(await corpusContext('pcap/zeek__ssh_sshguess.pcap', ['192.168.56.1']));
    expect(f.facts).toMatchObject({ service: 'SSH', target: '192.168.56.103' });
    expect(f.facts?.sessions as number).toBeGreaterThanOrEqual(10);
  });

  it('zeek ftp_bruteforce.pcap: FTP sessions with 530 replies', async () => {
    const [f] = bruteForce.detect(await corpusContext('pcap/zeek__ftp_bruteforce.pcap', ['192.168.56.1']));
    expect(f.facts).toMatchObject({ service: 'FTP', target: '192.168.56.101' });
    expect(f.facts?.loginFailures as number).toBeGreaterThanOrEqual(20);
    expect(f.strength).toBeGreaterThanOrEqual(0.8);
  });

  it('fail2ban sshd samples: the five failure lines that name 192.0.2.1, not those of 192.0.2.112 or 192.0.2.10x', async () => {
    const [f, ...rest] = bruteForce.detect(await corpusContext('hostlogs/fail2ban__sshd.log', ['192.0.2.1']));
    expect(rest).toEqual([]);
    expect(f.facts).toEqual({ source: '192.0.2.1', records: 5 });
    // Failed password, Invalid user, two Failed publickey, "Failed unknown for invalid user"; the accepted login is no failure.
    expect(f.evidence.map((e) => e.line).sort((a, b) => a! - b!)).toEqual([24, 36, 157, 159, 412]);
    expect(f.evidence.every((e) => e.file === 'fail2ban__sshd.log')).toBe(true);
  });

  it('fail2ban dropbear samples: bad password, nonexistent user and max-tries lines of one address; two lines are not enough', async () => {
    const [f] = bruteForce.detect(await corpusContext('hostlogs/fail2ban__dropbear.log', ['1.2.3.4']));
    expect(f.facts).toEqual({ source: '1.2.3.4', records: 4 });
    expect(f.evidence.map((e) => e.line).sort((a, b) => a! - b!)).toEqual([11, 13, 15, 18]);
    expect(bruteForce.detect(await corpusContext('hostlogs/fail2ban__dropbear.log', ['198.51.100.87']))).toEqual([]);
  });

  it('psad Mirai log: telnet SYNs a firewall dropped logged in nowhere, so there is no guessing to report', async () => {
    expect(bruteForce.detect(await corpusContext('netfilter/psad__mirai_default_credentials_scan.log', ['192.168.10.55']))).toEqual([]);
  });

  it.each([
    ['pcap/zeek__wikipedia.pcap', '141.142.220.118'],
    ['pcapng/chrissanders__http_espn.pcapng', '172.16.0.122'],
    ['pcap/zeek__ssh_sshguess.pcap', '192.168.56.103'],
  ])('%s: nothing for %s', async (file, host) => {
    expect(bruteForce.detect(await corpusContext(file, [host]))).toEqual([]);
  });
});
