import { beforeEach, describe, expect, it } from 'vitest';
import { wormPatterns } from '../../../analysis/detect/worm-patterns';
import type { Finding } from '../../../analysis/detect/detector';
import { IPPROTO_ICMPV6, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { icmp, resetPacketNumbers, tcp, udp } from '../../helpers/events';
import { icmpFrame, udpFrame, writePcap } from '../../helpers/pcap-writer';
import { corpusContext } from './corpus';
import { evidenceContext } from './evidence';
import { connLog, type ConnRow } from './zeek-log';

const US = '198.51.100.90';
const T = Date.UTC(2025, 11, 18, 0, 40, 0) * 1000;
beforeEach(() => resetPacketNumbers());
const detect = (events: NetEvent[]): Finding[] => wormPatterns.detect(makeContext({ events, accused: [US] }));
const ids = (f: Finding[]): string[] => f.map((x) => x.id).sort();

describe('worm-tcp-sweep', () => {
  const sweep = (n: number, port = 445, withData = 0, bytes = 100): NetEvent[] => Array.from({ length: n }, (_, h) => {
    const dst = `10.0.0.${h + 1}`;
    const c = { src: US, dst, sport: 3000 + h, dport: port };
    const evs = [tcp({ ...c, flags: 'S', ts: 10 + h * 0.5 })];
    if (h < withData) evs.push(tcp({ src: dst, dst: US, sport: port, dport: 3000 + h, flags: 'PA', payloadLength: bytes, ts: 10.1 + h * 0.5 }));
    return evs;
  }).flat();

  it('10 hosts tried on 445 are a sweep, 9 are not', () => {
    const [f, ...rest] = detect(sweep(10));
    expect(rest).toEqual([]);
    expect(f.facts).toEqual({
      source: US, port: 445, portMeaning: 'SMB (Sasser, Conficker, WannaCry)', targetCount: 10, attempts: 10, withDataShare: 0,
      spanSeconds: 4.5, attemptsPerSecond: 2.22, targetSample: Array.from({ length: 10 }, (_, h) => `10.0.0.${h + 1}`),
    });
    expect(f.summary).toBe(`${US} tried TCP port 445 (SMB (Sasser, Conficker, WannaCry)) on 10 hosts in 4.5 s.`);
    expect(f.explanation).toContain('0% of these connection attempts carried data; the rest were unanswered or refused.');
    expect(f.strength).toBeCloseTo(0.63, 10);
    expect(detect(sweep(9))).toEqual([]);
  });

  it.each([[135, 'MS-RPC (Blaster, Welchia)'], [139, 'NetBIOS session (Nimda, Opaserv)'], [1433, 'MS-SQL (Spida)']])('port %i: %s', (port, meaning) => {
    expect(detect(sweep(10, port)).map((f) => f.facts?.portMeaning)).toEqual([meaning]);
  });

  it.each([134, 136, 138, 140, 444, 446, 1432, 1434])('port %i is no worm port', (port) => {
    expect(detect(sweep(10, port))).toEqual([]);
  });

  it('most attempts carrying data is a management server: it weighs little (6 of 10), half is still a worm (5 of 10)', () => {
    const [mgmt] = detect(sweep(10, 445, 6));
    expect(mgmt.facts).toMatchObject({ withDataShare: 0.6 });
    expect(detect(sweep(10, 445, 6, 1))[0].facts).toMatchObject({ withDataShare: 0.6 });
    expect(mgmt.strength).toBe(0.35);
    expect(mgmt.explanation).toContain('60% of these connection attempts carried data; that is more like a management server than a worm');
    const [half] = detect(sweep(10, 445, 5));
    expect(half.facts).toMatchObject({ withDataShare: 0.5 });
    expect(half.strength).toBeCloseTo(0.63, 10);
    expect(half.explanation).toBe('Worms of the SMB (Sasser, Conficker, WannaCry) family spread by connecting to this port on host after host. 50% of these connection attempts carried data; the rest were unanswered or refused.');
  });

  it('our SYN-ACKs from 445 answer clients; they are not attempts', () => {
    const evs = Array.from({ length: 12 }, (_, h) => tcp({ src: US, dst: `10.0.0.${h + 1}`, sport: 445, dport: 50000, flags: 'SA', ts: 10 + h }));
    expect(detect(evs)).toEqual([]);
  });
});

describe('worm-slammer and worm-icmp-sweep', () => {
  const slammerPayload = (first: number): Uint8Array => { const p = new Uint8Array(376).fill(0x01); p[0] = first; return p; };

  it('a 376-byte datagram to 1434 starting with 0x04 is Slammer; 375 bytes, port 1433 or another first byte are not (or weigh less)', async () => {
    const pcap = (size: number, port: number, first: number): Uint8Array => {
      const p = slammerPayload(first).subarray(0, size);
      return writePcap([0, 1].map((i) => ({ ts: T + i * 1000, data: udpFrame({ src: US, dst: `203.0.113.${i + 1}`, sport: 20199, dport: port, payload: p }) })));
    };
    const [f] = wormPatterns.detect(await evidenceContext('s.pcap', pcap(376, 1434, 0x04), [US]));
    expect(f.facts).toEqual({ source: US, datagrams: 2, targetCount: 2, payloadSize: 376, port: 1434, payloadStartsWith0x04: 2 });
    expect(f.summary).toBe(`${US} sent 2 SQL Slammer datagrams (UDP to port 1434, 376-byte payload) to 2 hosts.`);
    expect(f.explanation).toBe('SQL Slammer (CERT CA-2003-04) is a single 376-byte UDP datagram to port 1434 whose payload begins with 0x04 and carries the whole worm; '
      + 'an infected host sends it to random addresses as fast as its link allows. No legitimate SQL Server resolution request has this size.');
    expect(f.strength).toBe(0.95);
    expect(f.evidence.map((e) => e.packet)).toEqual([1, 2]);
    const [unsigned] = wormPatterns.detect(await evidenceContext('s.pcap', pcap(376, 1434, 0x05), [US]));
    expect(unsigned.facts).toMatchObject({ payloadStartsWith0x04: 0 });
    expect(unsigned.strength).toBe(0.85);
    expect(wormPatterns.detect(await evidenceContext('s.pcap', pcap(375, 1434, 0x04), [US]))).toEqual([]);
    expect(wormPatterns.detect(await evidenceContext('s.pcap', pcap(376, 1433, 0x04), [US]))).toEqual([]);
  });

  it('the argus record of the real Slammer packet (418 bytes on the wire) is one Slammer datagram, without its payload', async () => {
    const [f] = wormPatterns.detect(await corpusContext('argus/generated__wireshark_slammer.ra-default.txt', ['213.76.212.22']));
    expect(f.facts).toEqual({ source: '213.76.212.22', datagrams: 1, targetCount: 1, payloadSize: 376, port: 1434, payloadStartsWith0x04: 0 });
    expect(f.summary).toBe('213.76.212.22 sent 1 SQL Slammer datagram (UDP to port 1434, 376-byte payload) to 1 host.');
    expect(f.evidence[0]).toMatchObject({ file: 'generated__wireshark_slammer.ra-default.txt', line: 2 });
  });

  it('echo requests to 25 hosts are a ping sweep, 24 are not; ICMPv6 echo counts, replies do not', () => {
    const pings = (n: number, type = 8, v6 = false): NetEvent[] => Array.from({ length: n }, (_, h) => {
      const ev = icmp({ src: v6 ? '2001:db8::90' : US, dst: v6 ? `2001:db8::${h + 1}` : `10.0.1.${h + 1}`, type, id: 1, seq: h, ts: 10 + h });
      return v6 ? { ...ev, proto: IPPROTO_ICMPV6 } : ev;
    });
    const [f] = detect(pings(25));
    expect(f.facts).toEqual({ source: US, targetCount: 25, welchiaPayloads: 0, spanSeconds: 24, rate: 1.04 });
    expect(f.summary).toBe(`${US} sent ICMP echo requests to 25 hosts in 24 s.`);
    expect(f.strength).toBeCloseTo(0.43, 10);
    expect(detect(pings(24))).toEqual([]);
    expect(detect(pings(30, 0))).toEqual([]);
    expect(wormPatterns.detect(makeContext({ events: pings(25, 128, true), accused: ['2001:db8::90'] })).map((x) => x.facts?.targetCount)).toEqual([25]);
  });

  it('one echo request with 64 bytes of 0xAA is Welchia; 63 bytes or another filler is an ordinary ping', async () => {
    const ping = (body: Uint8Array): Promise<Finding[]> => evidenceContext('w.pcap', writePcap([{ ts: T, data: icmpFrame(US, '10.0.1.7', 8, 0, body) }]), [US]).then((c) => wormPatterns.detect(c));
    const [f] = await ping(new Uint8Array(64).fill(0xaa));
    expect(f.facts).toMatchObject({ targetCount: 1, welchiaPayloads: 1 });
    expect(f.summary).toBe(`${US} sent ICMP echo requests to 1 hosts in 0 s with the 64-byte 0xAA payload of Welchia/Nachi.`);
    expect(f.explanation).toBe('Welchia/Nachi pings each candidate with 64 bytes of 0xAA before attacking it over RPC (135/tcp).');
    expect(f.strength).toBe(0.85);
    expect(await ping(new Uint8Array(63).fill(0xaa))).toEqual([]);
    const almost = new Uint8Array(64).fill(0xaa);
    almost[63] = 0xab;
    expect(await ping(almost)).toEqual([]);
  });
});

interface BurstSpec { n: number; len?: number; spacing?: number; first?: (b: number) => number; ttl?: (b: number, i: number) => number; precede?: number; dst?: string }

/** `n` bursts from source port 770 of `len` 28-byte datagrams to consecutive ports, `spacing` s apart; optionally preceded by a datagram `precede` s before. */
function bursts(s: BurstSpec): NetEvent[] {
  const evs: NetEvent[] = [];
  const dst = s.dst ?? '198.51.100.255';
  for (let b = 0; b < s.n; b++) {
    const t = 1000 + b * 17.3;
    const start = s.first ? s.first(b) : 1000 + ((b * 7919) % 60000);
    if (s.precede !== undefined) evs.push(udp({ src: US, dst, sport: 138, dport: 138, payloadLength: 200, ts: t - s.precede }));
    for (let i = 0; i < (s.len ?? 5); i++) evs.push(udp({ src: US, dst, sport: 770, dport: start + i, payloadLength: 28, ttl: s.ttl?.(b, i) ?? 64, ts: t + (s.spacing ?? 0.002) * i }));
  }
  return evs;
}

describe('worm-udp-bursts', () => {
  it('3 bursts are a pattern, 2 are not; runs of 3 datagrams are bursts, runs of 2 are not', () => {
    const [f] = detect(bursts({ n: 3 }));
    expect(f.facts).toMatchObject({ source: US, sourcePort: 770, payloadSize: 28, burstCount: 3, packetsInBursts: 15, typicalBurstLength: 5 });
    expect(f.evidence.length).toBe(12);
    expect(detect(bursts({ n: 2 }))).toEqual([]);
    expect(detect(bursts({ n: 4, len: 3 })).map((x) => x.facts?.typicalBurstLength)).toEqual([3]);
    expect(detect(bursts({ n: 4, len: 2 }))).toEqual([]);
  });

  it('datagrams 1 s apart still make a burst, 1.000001 s apart do not', () => {
    expect(detect(bursts({ n: 3, spacing: 1 })).map((x) => x.facts?.burstCount)).toEqual([3]);
    expect(detect(bursts({ n: 3, spacing: 1.000001 }))).toEqual([]);
  });

  it('runs inside traceroute\'s ports 33434-33534 are traceroute, unless most bursts fall outside', () => {
    expect(detect(bursts({ n: 3, len: 3, first: () => 33532 }))).toEqual([]);
    expect(ids(detect(bursts({ n: 3, len: 3, first: () => 33533 })))).toEqual(['worm-udp-bursts']);
    expect(detect(bursts({ n: 3, len: 3, first: () => 33434 }))).toEqual([]);
    expect(ids(detect(bursts({ n: 3, len: 3, first: () => 33433 })))).toEqual(['worm-udp-bursts']);
    // 2 of 3 in traceroute's range: traceroute; 2 of 4: not.
    expect(detect(bursts({ n: 3, len: 3, first: (b) => (b < 2 ? 33434 + b * 10 : 2000) }))).toEqual([]);
    expect(ids(detect(bursts({ n: 4, len: 3, first: (b) => (b < 2 ? 33434 + b * 10 : 2000 + b * 100) })))).toEqual(['worm-udp-bursts']);
  });

  it('bursts that continue each other\'s port run, or step the TTL, are one probe walking up (traceroute-like)', () => {
    expect(detect(bursts({ n: 3, len: 5, first: (b) => 5000 + b * 5 }))).toEqual([]);
    expect(ids(detect(bursts({ n: 4, len: 5, first: (b) => (b < 3 ? 5000 + b * 5 : 9300) })))).toEqual(['worm-udp-bursts']);
    expect(detect(bursts({ n: 3, ttl: (_b, i) => 1 + i }))).toEqual([]);
    expect(ids(detect(bursts({ n: 4, ttl: (b, i) => (b < 2 ? 1 + i : 64) })))).toEqual(['worm-udp-bursts']);
    // Two TTLs in a burst already vary.
    expect(detect(bursts({ n: 3, ttl: (_b, i) => 63 + (i % 2) }))).toEqual([]);
  });

  it('a datagram from another port to the same address at most 200 ms before a burst precedes it', () => {
    expect(detect(bursts({ n: 3, precede: 0.2 }))[0].facts?.precededBy).toEqual(['udp 138->138 x3']);
    expect(detect(bursts({ n: 3, precede: 0.200001 }))[0].facts?.precededBy).toEqual([]);
  });

  it('lists five example runs; quotes the first burst, samples, and the last burst (at most 8 datagrams each)', () => {
    const [f] = detect(bursts({ n: 6 }));
    expect(f.facts?.examplePortRuns).toHaveLength(5);
    expect(f.facts?.portRunsText).toBe((f.facts?.examplePortRuns as string[]).join(', '));
    const long = bursts({ n: 3, len: 10 });
    const [g] = detect(long);
    // 8 kept of the first burst of 10, then the last burst's first 4 (12 in all).
    expect(g.evidence.map((e) => e.packet)).toEqual([...long.slice(0, 8), ...long.slice(20, 24)].map((e) => e.source.packet));
  });

  it('names one destination, or counts them; says whether they are broadcast addresses; a privileged source port is named so', () => {
    const [one] = detect(bursts({ n: 3 }));
    expect(one.summary).toContain('to consecutive destination ports of 198.51.100.255 (a broadcast address)');
    expect(one.explanation).toContain('A fixed source port (770, a privileged port that only an administrator or a service can bind)');
    expect(one.explanation).toContain('The destination is a broadcast address');
    const two = [...bursts({ n: 2, dst: '198.51.100.255' }), ...bursts({ n: 2, dst: '203.0.113.255' }).map((e) => ({ ...e, ts: e.ts + 500_000_000 }))];
    const [g] = detect(two);
    expect(g.summary).toContain('to consecutive destination ports of 2 destinations, 2 of them broadcast addresses');
    expect(g.explanation).toContain('2 of the destinations are broadcast addresses');
    const from = (sport: number): Finding => detect(bursts({ n: 3, dst: '192.0.2.7' }).map((e) => (e.sport === 770 ? { ...e, sport } : e)))[0];
    expect(from(4444).explanation).toContain('A fixed source port (4444)');
    expect(from(4444).explanation).not.toContain('broadcast');
    // Ports below 1024 need privileges to bind (RFC 6335's system ports).
    expect(from(1023).explanation).toContain('A fixed source port (1023, a privileged port');
    expect(from(1024).explanation).toContain('A fixed source port (1024)');
  });

  it('timing facts: intervals between burst starts and the span', () => {
    const [f] = detect(bursts({ n: 4 }));
    expect(f.facts).toMatchObject({ medianIntervalSeconds: 17.3, minIntervalSeconds: 17.3, maxIntervalSeconds: 17.3, spanSeconds: 51.908 });
  });

  it('single-datagram UDP flow records stand for their datagrams: Zeek ip_bytes less 28, argus bytes less 42', async () => {
    const rows: ConnRow[] = bursts({ n: 3, dst: '192.0.2.7' }).map((e) => ({
      ts: 1766018400 + e.ts / 1e6, orig: US, origPort: e.sport!, resp: e.dst!, respPort: e.dport!, proto: 'udp', state: 'S0', history: 'D', origPkts: 1, respPkts: 0, origIpBytes: 56,
    }));
    const [z] = wormPatterns.detect(await evidenceContext('conn.log', connLog(rows), [US]));
    expect(z.facts).toMatchObject({ sourcePort: 770, payloadSize: 28, burstCount: 3, typicalBurstLength: 5, destinations: ['192.0.2.7'] });
    expect(z.evidence[0]).toMatchObject({ file: 'conn.log', line: 9 });
    const header = '         StartTime      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  TotPkts   TotBytes State ';
    const lines = bursts({ n: 3, dst: '192.0.2.7' }).map((e) => {
      const t = new Date(e.ts / 1000).toISOString().slice(11, 23);
      return `   ${t}000  e           udp      ${US}.${String(e.sport).padEnd(6)}     ->         192.0.2.7.${String(e.dport).padEnd(6)}         1         70   INT`;
    });
    const [a] = wormPatterns.detect(await evidenceContext('ra.txt', [header, ...lines, ''].join('\n'), [US]));
    expect(a.facts).toMatchObject({ sourcePort: 770, payloadSize: 28, burstCount: 3 });
    // Flows that got a datagram back are exchanges, not the datagrams of a burst.
    const answered = rows.map((r) => ({ ...r, state: 'SF', history: 'Dd', respPkts: 1, respIpBytes: 56 }));
    expect(wormPatterns.detect(await evidenceContext('conn.log', connLog(answered), [US]))).toEqual([]);
  });
});
