import { describe, expect, it } from 'vitest';
import { openingOf, parseDataPortCommand, requestsOf } from '../../../../analysis/detect/requested/kinds';
import type { NetEvent } from '../../../../analysis/events/event';
import { readFixture } from '../evidence';
import { THEM, US } from '../requested-traffic';

describe('requests of theirs and openings of ours', () => {
  it('PORT and EPRT as RFC 959 and RFC 2428 write them; anything else is no command', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(parseDataPortCommand(enc('PORT 203,0,113,5,178,83\r\n'))).toEqual({ addr: THEM, port: 178 * 256 + 83, text: 'PORT 203,0,113,5,178,83' });
    expect(parseDataPortCommand(enc('eprt |1|203.0.113.5|34865|\r\n'))).toMatchObject({ addr: THEM, port: 34865 });
    expect(parseDataPortCommand(enc('EPRT !2!2001:db8::5!5282!\r\n'))).toMatchObject({ addr: '2001:db8::5', port: 5282 });
    expect(parseDataPortCommand(enc('pOrT 203,0,113,5,178,83'))).toMatchObject({ addr: THEM, port: 178 * 256 + 83 });
    for (const bad of ['PORT 203,0,113,5,300,1\r\n', 'PORT 203,0,113,5\r\n', 'EPRT |1|203.0.113.5|0|\r\n', 'EPRT |2|203.0.113.5|21|\r\n', 'RETR PORT 1,2,3,4,5,6\r\n',
      'PORT\t203,0,113,5,178,83\r\n', 'SORT 203,0,113,5,178,83\r\n', 'EPRX |1|203.0.113.5|34865|\r\n', '\u00d0ORT 203,0,113,5,178,83\r\n']) {
      expect(parseDataPortCommand(enc(bad)), bad).toBeUndefined();
    }
  });

  const isOurs = (a: string) => a === US;
  const addressed = (evs: NetEvent[]) => evs.filter((e): e is NetEvent & { src: string; dst: string } => e.src !== undefined && e.dst !== undefined);

  it('active FTP (vsftpd and ftplib): every data connection we open has the key of a PORT or EPRT they sent, from port 20', async () => {
    const evs = addressed(await readFixture('pcap/requested-ftp-active.pcap'));
    const ftp = evs.flatMap((e) => requestsOf(e, isOurs)).filter((r) => r.kind === 'ftp-active-data');
    expect(ftp.map((r) => r.text!.split(' ')[0])).toEqual(['PORT', 'PORT', 'PORT', 'PORT', 'EPRT']);
    expect(ftp.every((r) => r.peer === THEM && r.ours === US)).toBe(true);
    const data = evs.map((e) => openingOf(e, isOurs)).filter((o) => o?.shape === 'ftp-active-data');
    expect(data.length).toBeGreaterThan(0);
    const keys = new Set(ftp.map((r) => r.key));
    expect(data.every((o) => keys.has(o!.key!))).toBe(true);
  });

  it('traceroute through and to our router: each of our time-exceeded and unreachable errors has the key of a probe of theirs', async () => {
    const evs = addressed(await readFixture('pcap/requested-traceroute.pcap'));
    const probes = new Set(evs.flatMap((e) => requestsOf(e, isOurs)).filter((r) => r.kind === 'traceroute-replies').map((r) => r.key));
    const errors = evs.map((e) => openingOf(e, isOurs)).filter((o) => o?.shape === 'traceroute-replies');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((o) => !o!.key || !probes.has(o!.key))).toEqual([]);
  });

  it('packets within their own connections open nothing; our packets ask nothing', () => {
    const ack = { kind: 'packet', ts: 0, src: US, dst: THEM, proto: 6, tcpFlags: 0x10, sport: 22, dport: 40000, source: { file: 'x', offset: 0 } } as const;
    expect(openingOf(ack, isOurs)).toBeUndefined();
    expect(requestsOf(ack, isOurs)).toEqual([]);
    expect(openingOf({ ...ack, tcpFlags: 0x01 }, isOurs)).toEqual({ ours: US, peer: THEM });
  });
});
