import { describe, expect, it } from 'vitest';
import { flowEstablished } from '../../../analysis/detect/brute-force/flows';
import { flowSessions, isNetflowAnswer, netflowEstablished } from '../../../analysis/detect/flow-sessions';
import { synfloodBackscatter } from '../../../analysis/detect/synflood-backscatter';
import { wormPatterns } from '../../../analysis/detect/worm-patterns';
import { makeContext } from '../../helpers/context';
import { readEvidence } from './evidence';

/**
 * One-way NetFlow/IPFIX records (nfdump -o pipe, as softflowd -> nfcapd
 * writes them): each direction of a conversation is its own record with the
 * OR of its TCP flags, no state and no reverse counts.
 *
 * pipe columns: af|first ms|last ms|proto|src (4 words)|sport|dst (4 words)|dport|srcas|dstas|in|out|flags|tos|pkts|bytes
 */
const word = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
function pipe(rows: Array<{ ms: number; proto?: number; src: string; sport: number; dst: string; dport: number; flags?: number; pkts: number; bytes: number }>): string {
  return rows.map((r) => [2, r.ms, r.ms + 100, r.proto ?? 6, 0, 0, 0, word(r.src), r.sport, 0, 0, 0, word(r.dst), r.dport, 0, 0, 0, 0, r.flags ?? 0, 0, r.pkts, r.bytes].join('|')).join('\n') + '\n';
}
const T = 1_766_018_400_000;
const US = '198.51.100.80';
const THEM = '192.0.2.66';
// TCP flag bits (RFC 9293 §3.1).
const S = 0x02, A = 0x10, R = 0x04, F = 0x01, P = 0x08;
const read = (text: string) => readEvidence('nfdump.txt', text, { nearMs: T, zone: 'UTC' });

describe('flowSessions: one-way NetFlow records', () => {
  it('a forged SYN and our SYN-ACK retransmits are one session opened by the SYN sender, answered, never established', async () => {
    const evs = await read(pipe([
      { ms: T, src: THEM, sport: 40001, dst: US, dport: 80, flags: S, pkts: 1, bytes: 40 },
      { ms: T, src: US, sport: 80, dst: THEM, dport: 40001, flags: S | A, pkts: 3, bytes: 132 },
    ]));
    const sessions = flowSessions(evs);
    expect(sessions.map((s) => [s.client, s.server, s.serverPort, s.answered, s.established])).toEqual([[THEM, US, 80, true, false]]);
    // Alone (as a streaming detector hands them over one by one), the SYN-ACK record is no session of ours.
    expect(flowSessions([evs[1]])).toEqual([]);
    expect(flowSessions([evs[0]]).map((s) => s.answered)).toEqual([undefined]);
  });

  it('a complete session: the same flags both ways, so nfdump -B\'s port rule names the client', async () => {
    const evs = await read(pipe([
      { ms: T, src: US, sport: 80, dst: THEM, dport: 51000, flags: S | A | P | F, pkts: 3, bytes: 158 },
      { ms: T, src: THEM, sport: 51000, dst: US, dport: 80, flags: S | A | P | F, pkts: 5, bytes: 279 },
    ]));
    expect(flowSessions(evs).map((s) => [s.client, s.clientPort, s.answered, s.established])).toEqual([[THEM, 51000, true, true]]);
  });

  it('flags settle the role before ports do: SYN alone opens, one SYN+ACK packet or a RST answers', async () => {
    const [syn, synAck, rst, highPorts] = await read(pipe([
      { ms: T, src: US, sport: 53, dst: THEM, dport: 4444, flags: S, pkts: 2, bytes: 88 },
      { ms: T, src: THEM, sport: 8080, dst: US, dport: 40000, flags: S | A, pkts: 1, bytes: 44 },
      { ms: T, src: THEM, sport: 8080, dst: US, dport: 40001, flags: R | A, pkts: 1, bytes: 40 },
      { ms: T, src: THEM, sport: 8080, dst: US, dport: 40002, flags: S | A | P, pkts: 6, bytes: 900 },
    ]));
    expect([syn, synAck, rst, highPorts].map(isNetflowAnswer)).toEqual([false, true, true, false]);
  });

  it('UDP: the datagram to the service port opens, the reply from it answers', async () => {
    const evs = await read(pipe([
      { ms: T, proto: 17, src: THEM, sport: 5353, dst: US, dport: 53, pkts: 1, bytes: 60 },
      { ms: T, proto: 17, src: US, sport: 53, dst: THEM, dport: 5353, pkts: 1, bytes: 120 },
      { ms: T, proto: 17, src: THEM, sport: 5354, dst: US, dport: 53, pkts: 1, bytes: 60 },
    ]));
    expect(flowSessions(evs).map((s) => [s.clientPort, s.answered, s.established])).toEqual([[5353, true, true], [5354, undefined, false]]);
  });

  it('synflood: our SYN-ACK records are answers, not conversations we started with the complainant', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => [
      { ms: T + i * 70, src: THEM, sport: 40001 + i, dst: US, dport: 80, flags: S, pkts: 1, bytes: 40 },
      { ms: T + i * 70, src: US, sport: 80, dst: THEM, dport: 40001 + i, flags: S | A, pkts: 3, bytes: 132 },
    ]).flat();
    const [f] = synfloodBackscatter.detect(makeContext({ events: await read(pipe(rows)), accused: [US], targets: [THEM] }));
    expect(f).toMatchObject({ id: 'backscatter-to-complainant', leaning: 'backscatter' });
    expect(f.facts).toMatchObject({ attempts: 6, answers: 6, startedByUs: 0, distinctPorts: 6 });
  });
});

describe('brute-force: a one-way NetFlow record is an attempt by its flags, not its packet count', () => {
  it.each([
    ['SYN retransmits, never answered', false, S, 4],
    ['SYN, then RST to the SYN-ACK (half-open)', false, S | R, 2],
    ['SYN, ACK, data, FIN', true, S | A | P | F, 12],
    ['a record cut from a longer session (ACK, no SYN)', true, A | P, 30],
  ] as const)('%s: attempt %s', async (_, attempt, flags, pkts) => {
    const [ev] = await read(pipe([{ ms: T, src: US, sport: 50000, dst: THEM, dport: 22, flags, pkts, bytes: pkts * 60 }]));
    expect(flowEstablished(ev)).toBe(attempt);
  });
});

describe('worm-patterns: a NetFlow datagram record counts IP bytes', () => {
  it('Slammer\'s 404-byte datagram (376 bytes of payload) as an IPFIX record is Slammer', async () => {
    // The record nfdump prints for the corpus's wireshark-wiki__slammer.pcap after softflowd -> nfcapd.
    const evs = await read('2|1065823369239|1065823369239|17|0|0|0|3578582038|20199|0|0|0|1101375318|1434|0|0|0|0|0|0|1|404\n');
    const f = wormPatterns.detect(makeContext({ events: evs, accused: ['213.76.212.22'] }));
    expect(f.map((x) => [x.id, x.leaning])).toEqual([['worm-slammer', 'compromise']]);
    // One byte short of Slammer's size is not Slammer.
    const short = await read('2|1065823369239|1065823369239|17|0|0|0|3578582038|20199|0|0|0|1101375318|1434|0|0|0|0|0|0|1|403\n');
    expect(wormPatterns.detect(makeContext({ events: short, accused: ['213.76.212.22'] }))).toEqual([]);
  });
});

describe('the boundaries of the one-way rules', () => {
  it('the port rule: a source below 1024 to a destination of 1024 or more answers; 1023 and 1024 on either side', async () => {
    const udp = (sport: number, dport: number) => ({ ms: T, proto: 17, src: US, sport, dst: THEM, dport, pkts: 1, bytes: 60 });
    const evs = await read(pipe([udp(1023, 1024), udp(1024, 40000), udp(53, 1023), udp(53, 1024)]));
    expect(evs.map(isNetflowAnswer)).toEqual([true, false, false, true]);
  });

  it('a record of the opening side with SYN and ACK is established from two packets on, not with one', async () => {
    const evs = await read(pipe([
      { ms: T, src: THEM, sport: 40001, dst: US, dport: 22, flags: S | A, pkts: 2, bytes: 92 },
      { ms: T, src: THEM, sport: 40002, dst: US, dport: 22, flags: S | A, pkts: 1, bytes: 44 },
    ]));
    expect(evs.map(netflowEstablished)).toEqual([true, false]);
  });
});
