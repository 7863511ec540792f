import { describe, expect, it } from 'vitest';
import { tcpdumpTextParser } from '../../../../analysis/ingest/text/tcpdump-text';
import { fixture, iso, parseOne, readFile, readText } from './helpers';
import { fixtureTrio } from './junk';

describe('tcpdump -n text', () => {
  it('reads the default form: TCP flags, seq/ack, window, options, payload length', async () => {
    const { events } = await readFile(tcpdumpTextParser, fixture('tcpdump-text', 'default.txt'));
    expect(events).toHaveLength(14);
    expect(events[0]).toMatchObject({
      kind: 'packet', src: '192.168.1.10', sport: 35503, dst: '192.168.1.25', dport: 1723, proto: 6, tcpFlags: 0x02,
      seq: 426721688, window: 2048, mss: 1460, tcpOptions: 'mss', payloadLength: 0, timeInferred: true,
    });
    expect(iso(events[0].ts)).toBe('2024-01-15T18:58:34.958Z');
    expect(events.some((e) => e.tcpFlags === 0x12)).toBe(true); // [S.]
    expect(events.some((e) => e.tcpFlags === 0x14)).toBe(true); // [R.]
  });

  it('reads -tt epoch (exact) with full option lists', async () => {
    const { events } = await readFile(tcpdumpTextParser, fixture('tcpdump-text', 'epoch.txt'));
    expect(events[1]).toMatchObject({ ts: 1120622255938122, tcpFlags: 0x12, ack: 928549247, tcpOptions: 'mss,sackOK,ts,nop,wscale', mss: 16396 });
    expect(events[1].timeInferred).toBeUndefined();
    expect(events[3]).toMatchObject({ tcpFlags: 0x18, seq: 1, payloadLength: 202 });
  });

  it('reads -tttt and the ICMP port unreachable with the quoted datagram', async () => {
    const { events } = await readFile(tcpdumpTextParser, fixture('tcpdump-text', 'tttt-icmp-unreach.txt'));
    expect(iso(events[0].ts)).toBe('2009-11-18T18:22:28.135Z');
    expect(events[0]).toMatchObject({
      src: '192.168.1.102', dst: '192.168.1.1', proto: 1,
      icmp: { type: 3, code: 3, quoted: { src: '192.168.1.1', dst: '192.168.1.102', proto: 17, dport: 59207 } },
    });
  });

  it('reads -e (MACs, frame length) and non-first fragments', async () => {
    const { events } = await readFile(tcpdumpTextParser, fixture('tcpdump-text', 'ether.txt'));
    expect(events[0]).toMatchObject({ srcMac: '00:16:ce:6e:8b:24', dstMac: '00:15:f2:40:76:ef', length: 1514, icmp: { type: 8, code: 0, id: 768, seq: 5632 } });
    expect(events[1]).toMatchObject({ proto: 1, src: '192.168.0.114' });
  });

  it('joins the two-line -v form (ttl, id, fragment offset)', async () => {
    const udp = (await readFile(tcpdumpTextParser, fixture('tcpdump-text', 'verbose-udp.txt'))).events;
    expect(udp).toHaveLength(4);
    expect(udp[0]).toMatchObject({ ttl: 58, ipId: 60152, length: 28, proto: 17, sport: 62025, dport: 28369, payloadLength: 0, source: { line: 1 } });
    const frags = (await readFile(tcpdumpTextParser, fixture('tcpdump-text', 'verbose-frags.txt'))).events;
    expect(frags[0]).toMatchObject({ fragment: { offset: 0, more: true, id: 46544 }, icmp: { type: 8 } });
    expect(frags[1]).toMatchObject({ fragment: { offset: 976, more: false, id: 46544 }, length: 452 });
  });

  it('reads IPv6: ICMP6 echo and UDP decoded by an application printer', async () => {
    const { events } = await readFile(tcpdumpTextParser, fixture('tcpdump-text', 'ipv6.txt'));
    expect(events[0]).toMatchObject({ ipVersion: 6, proto: 58, icmp: { type: 128, code: 0, id: 1, seq: 3 }, dst: '2001:4860:8006::63' });
    const dns = events.find((e) => e.dport === 53)!;
    expect(dns).toMatchObject({ proto: 17, sport: 51850, src: '2001:470:1f11:81f:d138:5f55:6d4:1fe2' });
  });

  it('reports lines printed without -n', async () => {
    const { events, diag } = await readText(tcpdumpTextParser, '18:58:34.958375 IP host.example.com.http > 192.168.1.25.1723: Flags [S], seq 1, win 2048, length 0\n');
    expect(events).toHaveLength(0);
    expect(diag.weirds[0]).toMatchObject({ code: 'tcpdump_unresolved', line: 1 });
  });

  it('decodes the flag letters', () => {
    expect(parseOne(tcpdumpTextParser, '00:00:01.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [FPU], seq 1, win 1, length 0')?.tcpFlags).toBe(0x29);
    expect(parseOne(tcpdumpTextParser, '00:00:01.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [none], seq 1, win 1, length 0')?.tcpFlags).toBe(0);
    expect(parseOne(tcpdumpTextParser, '00:00:01.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [SEW], seq 1, win 1, length 0')?.tcpFlags).toBe(0xc2);
  });

  fixtureTrio(tcpdumpTextParser, 'tcpdump-text', 'default', 'txt', 14);
});
