import { describe, expect, it } from 'vitest';
import { snortParser } from '../../../../analysis/ingest/text/snort';
import { corpus, fixture, iso, parseOne, readFile } from './helpers';
import { fixtureTrio } from './junk';

describe('snort / suricata alerts', () => {
  it('reads Snort 2 alert_fast (no year: inferred)', async () => {
    const { events } = await readFile(snortParser, fixture('snort', 'alert-fast.log'));
    expect(events).toHaveLength(10);
    expect(events[1]).toMatchObject({
      kind: 'alert', rule: '1:2012811:2', proto: 17, src: '192.168.88.10', sport: 1029, dst: '4.2.2.3', dport: 53, timeInferred: true,
      message: 'ET DNS DNS Query to a .tk domain - Likely Hostile [Classification: Potentially Bad Traffic] [Priority: 2]',
    });
    expect(iso(events[1].ts)).toBe('2024-05-30T19:09:28.472Z');
    expect(events[2]).toMatchObject({ proto: 1, src: '172.25.212.245', dst: '172.25.212.153' });
    expect(events[2].sport).toBeUndefined();
  });

  it('reads alert full blocks into one event each, with TTL/ID/flags', async () => {
    const { events } = await readFile(snortParser, fixture('snort', 'alert-full.log'));
    expect(events).toHaveLength(7);
    expect(events[0]).toMatchObject({
      rule: '1:1000006:0', message: 'TCP connection [Priority: 0]', src: '10.100.20.59', sport: 57263, dst: '10.100.10.190', dport: 22,
      proto: 6, ttl: 127, ipId: 53730, length: 108, tcpFlags: 0x18, seq: 0x688e00e4, ack: 0xbc730bb6, window: 0x80b, source: { line: 1 },
    });
    expect(events[3]).toMatchObject({ proto: 1, icmp: { type: 8, code: 0, id: 101, seq: 1 }, src: '10.100.10.190', dst: '172.217.1.142' });
    expect(events[6]).toMatchObject({ proto: 17, sport: 53, dport: 56012, payloadLength: 117 });
  });

  it('reads Snort 3 (quoted msg, IPv6 with :port) and Suricata fast.log', async () => {
    const s3 = (await readFile(snortParser, corpus('snort', 'plaso__snort3_alert_fast.log'))).events;
    expect(s3[0]).toMatchObject({ message: 'PROTOCOL-ICMP PING Unix [Priority: 3]', src: '2001:df1:c200:c::35', dst: '2001:4860:4860::8888', ipVersion: 6 });
    expect(s3[3]).toMatchObject({ src: '2001:df1:c200:c::35', sport: 60884, dst: '2001:4860:4860::8888', dport: 80, proto: 6 });
    const sur = (await readFile(snortParser, corpus('snort', 'plaso__suricata_alert_fast.log'))).events;
    expect(sur).toHaveLength(5);
    expect(iso(sur[1].ts)).toBe('2021-12-28T12:55:38.765Z'); // YY/MM/DD when the first field cannot be a month
  });

  it('reads the syslog form, including portscan alerts without a destination port', () => {
    const e = parseOne(snortParser, 'Mar 11 13:05:01 ids snort[123]: [122:1:1] (portscan) TCP Portscan [Priority: 3]: {PROTO:255} 198.51.100.81:80 -> 192.0.2.10');
    expect(e).toMatchObject({ rule: '122:1:1', message: '(portscan) TCP Portscan [Priority: 3]', proto: 255, src: '198.51.100.81', sport: 80, dst: '192.0.2.10' });
    expect(e?.dport).toBeUndefined();
    const y = parseOne(snortParser, '09/04/21-21:55:02.041364  [**] [1:1000005:0] UDP Connection [**] [Priority: 1] {UDP} 1.0.0.1:53 -> 10.100.10.190:54757');
    expect(iso(y!.ts)).toBe('2021-09-04T21:55:02.041Z'); // snort -y: MM/DD/YY (util.c ts_print)
  });

  it('reads the pfSense CSV form', async () => {
    const { events } = await readFile(snortParser, corpus('snort', 'elastic__snort_pfsense_csv.log'));
    expect(events[0]).toMatchObject({ rule: '1:2403488:68499', proto: 6, src: '89.248.168.157', sport: 36847, dst: '104.5.30.130', dport: 91 });
  });

  it('does not claim other formats', () => {
    expect(snortParser.match('Mar 11 20:35:11 linux kernel: DROP IN=eth1 OUT= SRC=192.168.10.55 DST=192.168.10.1 LEN=44 PROTO=TCP SPT=1 DPT=2')).toBe(0);
    expect(snortParser.match('18:58:34.958375 IP 192.168.1.10.35503 > 192.168.1.25.1723: Flags [S], length 0')).toBe(0);
  });

  fixtureTrio(snortParser, 'snort', 'alert-fast', 'log', 10);
});
