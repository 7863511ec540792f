import { beforeEach, describe, expect, it } from 'vitest';
import { icmpBackscatter } from '../../../analysis/detect/icmp-backscatter';
import { makeContext } from '../../helpers/context';
import { icmp, resetPacketNumbers } from '../../helpers/events';
import { icmpFrame, ipv4, udpDatagram, udpFrame, writePcap, type Frame } from '../../helpers/pcap-writer';
import { corpusContext } from './corpus';
import { evidenceContext } from './evidence';

const US = '198.51.100.80';
const THEM = '192.0.2.66';
const T = Date.UTC(2025, 11, 18, 0, 40, 0) * 1000;
beforeEach(() => resetPacketNumbers());

/** The first 28 bytes of a UDP datagram as an ICMP error quotes it (RFC 792: IP header + 64 bits of data). */
function quotedUdp(src: string, dst: string, sport: number, dport: number): Uint8Array {
  return ipv4(src, dst, 17, udpDatagram({ src, dst, sport, dport, payload: 'query' })).subarray(0, 28);
}

/** Each UDP datagram, then the ICMP port unreachable (type 3 code 3) `US` sends back to THEM quoting `quote(i)`. */
function unreachables(n: number, quote: (i: number) => Uint8Array): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i < n; i++) {
    frames.push({ ts: T + i * 1000, data: udpFrame({ src: THEM, dst: US, sport: 5353, dport: 40001 + i, payload: 'query' }) });
    frames.push({ ts: T + i * 1000 + 100, data: icmpFrame(US, THEM, 3, 3, quote(i)) });
  }
  return frames;
}

describe('icmp-backscatter on captures', () => {
  it('port unreachables quoting datagrams that carried the complainant as source are answers', async () => {
    const pcap = writePcap(unreachables(3, (i) => quotedUdp(THEM, US, 5353, 40001 + i)));
    const [f, ...rest] = icmpBackscatter.detect(await evidenceContext('unreach.pcap', pcap, [US], [THEM]));
    expect(rest).toEqual([]);
    expect(f.leaning).toBe('backscatter');
    expect(f.facts).toEqual({ server: US, target: THEM, answers: 3, quotedFromTarget: 3, types: ['destination unreachable'] });
    expect(f.summary).toBe(`${US} sent 3 ICMP destination unreachable messages to ${THEM}: answers, not probes; 3 of them quote a packet that carried ${THEM} as its source.`);
    expect(f.explanation).toContain(`The quoted header reads ${THEM}:5353 -> ${US}:40001: a packet with your address as source reached us first`);
    expect(f.evidence.map((e) => [e.file, e.packet])).toEqual([['unreach.pcap', 2], ['unreach.pcap', 4], ['unreach.pcap', 6]]);
    expect(f.evidence[0].excerpt).toContain(`${US} > ${THEM} icmp unreachable code 3 for udp ${THEM}:5353 > ${US}:40001`);
    expect(f.strength).toBeCloseTo(0.85, 10);
  });

  it('unreachables that quote packets our host sent itself answer nothing the complainant sent', async () => {
    // Our host's own datagrams to them, "quoted" back at them: a stack sends an error only to the source of the datagram it quotes (RFC 792).
    const pcap = writePcap(unreachables(3, (i) => quotedUdp(US, THEM, 40001 + i, 53)));
    expect(icmpBackscatter.detect(await evidenceContext('own.pcap', pcap, [US], [THEM]))).toEqual([]);
    // Mixed with two genuine answers: only those count.
    const mixed = writePcap(unreachables(4, (i) => (i < 2 ? quotedUdp(THEM, US, 5353, 40001 + i) : quotedUdp(US, THEM, 40001 + i, 53))));
    const [f] = icmpBackscatter.detect(await evidenceContext('mixed.pcap', mixed, [US], [THEM]));
    expect(f.facts).toMatchObject({ answers: 2, quotedFromTarget: 2 });
    expect(f.evidence.map((e) => e.packet)).toEqual([2, 4]);
  });

  it('our UDP probes that the complainant answered with unreachables are no backscatter of ours', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 5; i++) {
      frames.push({ ts: T + i * 1000, data: udpFrame({ src: US, dst: THEM, sport: 41000, dport: 1000 + i }) });
      frames.push({ ts: T + i * 1000 + 100, data: icmpFrame(THEM, US, 3, 3, quotedUdp(US, THEM, 41000, 1000 + i)) });
    }
    expect(icmpBackscatter.detect(await evidenceContext('probe.pcap', writePcap(frames), [US], [THEM]))).toEqual([]);
  });
});

const NAMES: Record<number, string> = {
  0: 'echo reply', 3: 'destination unreachable', 4: 'source quench', 5: 'redirect', 11: 'time exceeded',
  12: 'parameter problem', 14: 'timestamp reply', 16: 'information reply', 18: 'address mask reply',
};

describe('icmp-backscatter: which ICMP types are answers (the types CAIDA counts as backscatter)', () => {
  it.each(Array.from({ length: 20 }, (_, t) => t))('type %i', (type) => {
    const ev = icmp({ src: US, dst: THEM, type, ts: 10 });
    const found = icmpBackscatter.detect(makeContext({ events: [ev], accused: [US], targets: [THEM] }));
    if (NAMES[type] === undefined) {
      expect(found).toEqual([]);
    } else {
      expect(found.map((f) => f.facts?.types)).toEqual([[NAMES[type]]]);
      expect(found[0].summary).toBe(`${US} sent 1 ICMP ${NAMES[type]} messages to ${THEM}: answers, not probes.`);
    }
  });

  it('requests among the answers lower the strength; without quoted headers the explanation says what the messages are', () => {
    const replies = [0, 1, 2].map((i) => icmp({ src: US, dst: THEM, type: 0, id: 7, seq: i, ts: 10 + i }));
    const [only] = icmpBackscatter.detect(makeContext({ events: replies, accused: [US], targets: [THEM] }));
    expect(only.facts).toEqual({ server: US, target: THEM, answers: 3, quotedFromTarget: 0, types: ['echo reply'] });
    expect(only.strength).toBeCloseTo(0.6, 10);
    expect(only.explanation).toBe('These ICMP messages are replies our host sends when it receives a packet; they reach the address the triggering packet carried as its source.');
    const [mixed] = icmpBackscatter.detect(makeContext({ events: [...replies, icmp({ src: US, dst: THEM, type: 8, ts: 20 })], accused: [US], targets: [THEM] }));
    expect(mixed.facts).toMatchObject({ answers: 3 });
    expect(mixed.strength).toBeCloseTo(0.4, 10);
  });

  it('an address no network routes is left to impossible-source', () => {
    const ev = icmp({ src: '127.0.0.1', dst: THEM, type: 3, ts: 10 });
    expect(icmpBackscatter.detect(makeContext({ events: [ev], accused: ['127.0.0.1'], targets: [THEM] }))).toEqual([]);
  });
});

describe('icmp-backscatter on real captures', () => {
  it('nmap IP protocol scan, scanned host: 252 protocol unreachables quoting the scanner, one echo reply', async () => {
    const ctx = await corpusContext('pcap/evilfingers__IP_PROTOCOL_SCAN.pcap', ['192.168.1.25'], ['192.168.1.10']);
    const [f] = icmpBackscatter.detect(ctx);
    expect(f.facts).toEqual({ server: '192.168.1.25', target: '192.168.1.10', answers: 253, quotedFromTarget: 252, types: ['destination unreachable', 'echo reply'] });
    expect(f.evidence[0]).toMatchObject({ file: 'evilfingers__IP_PROTOCOL_SCAN.pcap', packet: 13 });
  });

  it('Zeek trace: a late DNS answer our resolver host rejected with port unreachable', async () => {
    const ctx = await corpusContext('pcap/zeek__icmp_icmp-destunreach-udp.pcap', ['192.168.1.102'], ['192.168.1.1']);
    const [f] = icmpBackscatter.detect(ctx);
    expect(f.facts).toEqual({ server: '192.168.1.102', target: '192.168.1.1', answers: 1, quotedFromTarget: 1, types: ['destination unreachable'] });
    expect(f.explanation).toContain('The quoted header reads 192.168.1.1:53 -> 192.168.1.102:59207');
    expect(f.evidence.map((e) => e.packet)).toEqual([1]);
  });

  it('ICMP OS fingerprinting: the probed host answered 15 queries; the prober sent requests, which are no answers', async () => {
    const [f] = icmpBackscatter.detect(await corpusContext('pcap/ppa__osfingerprinting.pcap', ['10.0.0.2'], ['10.0.0.29']));
    expect(f.facts).toEqual({ server: '10.0.0.2', target: '10.0.0.29', answers: 15, quotedFromTarget: 0, types: ['echo reply', 'timestamp reply'] });
    expect(icmpBackscatter.detect(await corpusContext('pcap/ppa__osfingerprinting.pcap', ['10.0.0.29'], ['10.0.0.2']))).toEqual([]);
  });
});
