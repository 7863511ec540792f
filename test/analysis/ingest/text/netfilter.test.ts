import { describe, expect, it } from 'vitest';
import { netfilterParser } from '../../../../analysis/ingest/text/netfilter';
import { corpus, fixture, iso, parseOne, readFile } from './helpers';
import { fixtureTrio } from './junk';

describe('netfilter LOG lines', () => {
  it('reads a psad syslog line: addresses, MACs, TCP fields, options, inferred year', async () => {
    const { events } = await readFile(netfilterParser, fixture('netfilter', 'psad-syn.log'));
    expect(events).toHaveLength(10);
    expect(events[0]).toMatchObject({
      kind: 'packet', src: '192.168.10.55', dst: '192.168.10.1', proto: 6, sport: 56247, dport: 1025, ttl: 53, ipId: 15270,
      length: 44, window: 3072, tcpFlags: 0x02, mss: 1460, tcpOptions: 'mss', ipVersion: 4, timeInferred: true,
      dstMac: '23:87:fc:c6:24:58', srcMac: '00:21:3f:98:99:78', message: 'DROP',
    });
    expect(iso(events[0].ts)).toBe('2024-03-11T20:35:11.000Z');
  });

  it('reads the ICMP error with its quoted inner header, and RFC 5424 / ISO stamps exactly', async () => {
    const { events } = await readFile(netfilterParser, corpus('netfilter', 'elastic__iptables_raw.log'));
    expect(events[1].timeInferred).toBeUndefined();
    expect(iso(events[1].ts)).toBe('2021-03-12T14:10:18.000Z');
    expect(events[1].message).toBe('[wan-lan-default-D]');
    const icmp = events.find((e) => e.icmp?.quoted)!;
    expect(icmp).toMatchObject({
      src: '192.168.2.71', dst: '192.168.2.83', proto: 1, ipId: 21684,
      icmp: { type: 3, code: 3, quoted: { src: '192.168.2.83', dst: '192.168.173.191', proto: 17, sport: 21458, dport: 62936 } },
    });
  });

  it('reads ip6tables lines (HOPLIMIT, ICMPv6) and normalises the addresses', async () => {
    const { events } = await readFile(netfilterParser, corpus('netfilter', 'psad__ipv6_tcp_connect_nmap_default_scan.log'));
    expect(events[0]).toMatchObject({ ipVersion: 6, src: '2001:db8:0:f101::2', dst: 'ff02::1:ff00:1', proto: 58, ttl: 255, icmp: { type: 135, code: 0 } });
    expect(events[1]).toMatchObject({ proto: 6, sport: 46395, dport: 80, tcpFlags: 0x02, dst: '2001:db8:0:f101::1' });
  });

  it('reads ICMP echo id/seq, bare protocol numbers and the ISO-with-offset form', async () => {
    const ping = (await readFile(netfilterParser, corpus('netfilter', 'psad__ipv4_valid_ping.log'))).events[0];
    expect(ping).toMatchObject({ icmp: { type: 8, code: 0, id: 2158, seq: 512 }, ipId: 18443 });
    const iso5 = (await readFile(netfilterParser, corpus('netfilter', 'psad__syslog_time_fmt1.log'))).events;
    expect(iso(iso5[0].ts)).toBe('2015-03-07T03:09:30.045Z');
    expect(iso5[2]).toMatchObject({ proto: 2, src: '10.0.0.0', dst: '224.0.0.1' });
  });

  it('reads ufw, journalctl short-iso and fragments (FRAG: offset in 8-byte units, MF, no ports)', () => {
    const ufw = parseOne(netfilterParser, 'Dec 18 00:40:01 web kernel: [12345.678901] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 SRC=203.0.113.7 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=40000 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0');
    expect(ufw).toMatchObject({ message: '[UFW BLOCK]', src: '203.0.113.7', dport: 23, tcpFlags: 2, srcMac: '52:54:00:ab:cd:ef', dstMac: '52:54:00:12:34:56' });
    const jiso = parseOne(netfilterParser, '2025-12-18T01:40:01+0100 web kernel: DROP IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=1 DF PROTO=UDP SPT=53 DPT=4444 LEN=40');
    expect(iso(jiso!.ts)).toBe('2025-12-18T00:40:01.000Z');
    expect(jiso).toMatchObject({ proto: 17, payloadLength: 32, length: 60 });
    const frag = parseOne(netfilterParser, 'Mar 11 13:05:01 host kernel: IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=548 TOS=0x00 PREC=0x00 TTL=57 ID=4321 MF FRAG:185 PROTO=UDP ');
    expect(frag).toMatchObject({ proto: 17, fragment: { offset: 1480, more: true, id: 4321 } });
    expect(frag?.sport).toBeUndefined();
  });

  it('scores its own lines high and others low; split kernel lines are reported', async () => {
    expect(netfilterParser.match('Jan  5 20:17:01 fw kernel: [X]IN=eth0 OUT=eth2 MAC=90:10:20:76:8d:20:90:10:65:29:b6:2a:08:00 SRC=192.168.110.116 DST=192.168.2.25 LEN=52 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=50093 DPT=1443 WINDOW=2857 RES=0x00')).toBeGreaterThan(0.9);
    expect(netfilterParser.match('05/30-19:09:10.917356  [**] [1:527:8] BAD-TRAFFIC same SRC/DST [**] {UDP} 0.0.0.0:68 -> 255.255.255.255:67')).toBe(0);
    expect(netfilterParser.match('Mar  5 21:44:43 srv scanlogd: 192.0.2.123 to 192.0.2.1 ports 80, 81, fSrpauxy, TOS 00 @20:44:43')).toBe(0);
    const { events, diag } = await readFile(netfilterParser, corpus('netfilter', 'elastic__iptables_ubiquiti.log'));
    expect(events).toHaveLength(5);
    expect(diag.counts.get('netfilter_partial_line')).toBe(6);
  });

  fixtureTrio(netfilterParser, 'netfilter', 'psad-syn', 'log', 10);
});
