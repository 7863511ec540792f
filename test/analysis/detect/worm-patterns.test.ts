import { beforeEach, describe, expect, it } from 'vitest';
import { wormPatterns } from '../../../analysis/detect/worm-patterns';
import { makeContext } from '../../helpers/context';
import { icmp, resetPacketNumbers, tcp, udp } from '../../helpers/events';
import { corpusContext } from './corpus';

const US = '198.51.100.90';
beforeEach(() => resetPacketNumbers());

/** Seed 003: a legitimate datagram, then 5 from port 770, 28 bytes, to consecutive ports. */
function udp770Bursts(n: number, dst = '198.51.100.255'): ReturnType<typeof udp>[] {
  const evs = [];
  for (let b = 0; b < n; b++) {
    const t = 1000 + b * 17.3;
    const start = 1000 + ((b * 7919) % 60000);
    evs.push(udp({ src: US, dst, sport: 138, dport: 138, payloadLength: 200, ts: t }));
    for (let i = 0; i < 5; i++) evs.push(udp({ src: US, dst, sport: 770, dport: start + i, payloadLength: 28, ts: t + 0.002 * (i + 1) }));
  }
  return evs;
}

describe('worm-patterns (synthetic)', () => {
  it('finds periodic UDP bursts and names the source port, size and runs', () => {
    const f = wormPatterns.detect(makeContext({ events: udp770Bursts(10), accused: [US] }));
    expect(f.map((x) => x.id)).toEqual(['worm-udp-bursts']);
    const [b] = f;
    expect(b.summary).toContain('770');
    expect(b.facts).toMatchObject({ sourcePort: 770, payloadSize: 28, burstCount: 10, typicalBurstLength: 5, broadcastDestinations: ['198.51.100.255'] });
    expect((b.facts?.examplePortRuns as string[])[0]).toBe('198.51.100.255:1000-1004');
    expect(b.facts?.precededBy).toEqual(['udp 138->138 x10']);
    expect(b.evidence.length).toBeLessThanOrEqual(12);
  });

  it('also to a unicast address', () => {
    const [b] = wormPatterns.detect(makeContext({ events: udp770Bursts(4, '192.0.2.7'), accused: [US] }));
    expect(b.facts?.destinations).toEqual(['192.0.2.7']);
    expect(b.facts?.broadcastDestinations).toEqual([]);
  });

  it('does not call traceroute a worm', () => {
    const evs = [];
    let port = 33434;
    for (let ttl = 1; ttl <= 12; ttl++) for (let i = 0; i < 3; i++) {
      evs.push(udp({ src: US, dst: '203.0.113.9', sport: 44123, dport: port++, payloadLength: 32, ttl, ts: 50 + ttl + i * 0.01 }));
    }
    expect(wormPatterns.detect(makeContext({ events: evs, accused: [US] }))).toEqual([]);
  });

  it('finds an SMB sweep and an ICMP sweep', () => {
    const evs = [];
    for (let h = 1; h <= 30; h++) {
      evs.push(tcp({ src: US, dst: `10.0.0.${h}`, sport: 3000 + h, dport: 445, flags: 'S' }));
      evs.push(icmp({ src: US, dst: `10.0.1.${h}`, type: 8, id: 1, seq: h }));
    }
    const found = wormPatterns.detect(makeContext({ events: evs, accused: [US] }));
    expect(found.map((f) => f.id).sort()).toEqual(['worm-icmp-sweep', 'worm-tcp-sweep']);
    // Plain echo requests (no Welchia payload): the reply says why a ping sweep alone weighs moderately.
    const ping = found.find((f) => f.id === 'worm-icmp-sweep')!;
    expect(ping.facts?.targetCount).toBe(30);
    expect(ping.explanation).toBe('A ping sweep maps live hosts before an attack; monitoring systems also ping many hosts, so on its own this weighs moderately.');
  });

  it('a few file servers on 445 are not a sweep', () => {
    const evs = [];
    for (let h = 1; h <= 4; h++) evs.push(tcp({ src: US, dst: `10.0.0.${h}`, sport: 3000 + h, dport: 445, flags: 'S' }));
    expect(wormPatterns.detect(makeContext({ events: evs, accused: [US] }))).toEqual([]);
  });
});

describe('worm-patterns on real captures', () => {
  it('seed 003 lan-span.pcap: UDP 770 bursts from 198.51.100.90', async () => {
    const f = wormPatterns.detect(await corpusContext('cases/seed003-udp770-compromise/lan-span.pcap', [US]));
    expect(f).toHaveLength(1);
    expect(f[0].id).toBe('worm-udp-bursts');
    expect(f[0].summary).toContain('770');
    expect(f[0].facts).toMatchObject({ sourcePort: 770, payloadSize: 28, typicalBurstLength: 5 });
    expect(f[0].facts?.burstCount as number).toBeGreaterThanOrEqual(20);
    expect(f[0].evidence[0].excerpt).toContain('198.51.100.90:770 > 198.51.100.255:');
  });

  it('wireshark slammer.pcap: one 376-byte datagram to 1434', async () => {
    const f = wormPatterns.detect(await corpusContext('pcap/wireshark-wiki__slammer.pcap', ['213.76.212.22']));
    expect(f.map((x) => x.id)).toEqual(['worm-slammer']);
    expect(f[0].strength).toBeGreaterThanOrEqual(0.9);
    expect(f[0].evidence[0].packet).toBe(1);
  });

  it.each([
    ['pcap/zeek__wikipedia.pcap', '141.142.220.118'],
    ['pcapng/chrissanders__http_espn.pcapng', '172.16.0.122'],
    ['pcap/evilfingers__UDP_SCAN.pcap', '192.168.1.10'],
  ])('%s: nothing for %s', async (file, host) => {
    expect(wormPatterns.detect(await corpusContext(file, [host]))).toEqual([]);
  });
});
