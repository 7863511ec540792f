import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { JOIN_WINDOW_US, craftedPackets } from '../../../analysis/detect/crafted-packets';
import type { Finding } from '../../../analysis/detect/detector';
import { TCP_ACK, TCP_SYN, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp, udp } from '../../helpers/events';
import { loadEvents } from '../../helpers/load-events';
import { corpusDir } from '../../helpers/paths';
import { requireTool } from '../../helpers/tools';
import { corpusContext } from './corpus';
import { evidenceContext } from './evidence';

const US = '198.51.100.90';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());
const detect = (events: NetEvent[], accused = [US]): Finding[] => craftedPackets.detect(makeContext({ events, accused }));
const acks = (f: Finding[]): Array<[unknown, unknown]> => f.filter((x) => x.id === 'crafted-ack-no-handshake').map((x) => [x.facts?.packets, x.facts?.conversations]);

describe('a capture that starts in the middle of connections is not crafted', () => {
  it.each([
    ['pcap/zeek__wikipedia.pcap', '141.142.220.118'],
    ['pcap/zeek__workshop_2011_browse.pcap', '10.0.2.15'],
    ['pcapng/chrissanders__cryptowall4_c2.pcapng', '184.170.149.44'],
    ['pcapng/chrissanders__cryptowall4_c2.pcapng', '192.168.122.145'],
    ['pcap/zeek__ftp_bruteforce.pcap', '192.168.56.1'],
    ['pcap/zeek__ssh_sshguess.pcap', '192.168.56.1'],
  ])('%s cut at every packet: nothing for %s', async (file, host) => {
    const { events } = await corpusContext(file, [host]);
    for (let cut = 1; cut < events.length; cut++) {
      const found = detect(events.slice(cut), [host]);
      if (found.length) throw new Error(`cut at ${cut}: ${found.map((f) => f.summary).join(' ')}`);
    }
  });

  describe('wikipedia.pcap with its first 102 frames cut off by tshark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crafted-midstream-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('opens with the client ACKing data it got before the capture, and nothing is crafted', async () => {
      requireTool('tshark');
      const out = join(dir, 'wikipedia-from-103.pcap');
      const r = spawnSync('tshark', ['-r', join(corpusDir, 'pcap/zeek__wikipedia.pcap'), '-Y', 'frame.number > 102', '-w', out, '-F', 'pcap'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const events = await loadEvents(out);
      // The cut capture starts mid-connection: bare ACKs on conversations whose handshake and data came before it.
      const first = events.find((e) => e.src === '141.142.220.118' && e.sport === 49997)!;
      expect(first.tcpFlags).toBe(TCP_ACK);
      expect(events.some((e) => (e.sport === 49997 || e.dport === 49997) && (e.tcpFlags! & TCP_SYN || e.payloadLength! > 0))).toBe(false);
      expect(first.ts - events[0].ts).toBeLessThanOrEqual(JOIN_WINDOW_US);
      for (const host of ['141.142.220.118', '208.80.152.3', '208.80.152.2']) expect(detect(events, [host])).toEqual([]);
    });
  });
});

describe('an ACK scan is still crafted', () => {
  it('nmap -sA (evilfingers): 1000 bare ACKs to 1000 ports, every one refused by RST', async () => {
    const f = craftedPackets.detect(await corpusContext('pcap/evilfingers__ACK_SCAN.pcap', ['192.168.1.10']));
    expect(f.map((x) => [x.id, x.facts?.packets, x.facts?.conversations, x.facts?.refusedByRst, x.facts?.targetCount])).toEqual([
      ['crafted-ack-no-handshake', 1000, 1000, 1000, 1],
    ]);
    expect(f[0].facts?.joinedLateNotCounted).toBeUndefined();
  });

  it('the same scan with its first half cut off: RSTs back need no start of capture to count', async () => {
    const { events } = await corpusContext('pcap/evilfingers__ACK_SCAN.pcap', ['192.168.1.10']);
    const f = detect(events.slice(1000), ['192.168.1.10']);
    expect(f.map((x) => x.id)).toEqual(['crafted-ack-no-handshake']);
    expect(f[0].facts?.refusedByRst).toBe(f[0].facts?.conversations);
  });

  it('a filtered ACK scan (nothing answers): probes past the first half second count, those in it are said to be left out', () => {
    // 100 ports, one every 10 ms from the capture's first packet: ports 1..51 fall within 0.5 s of it.
    const evs = Array.from({ length: 100 }, (_, i) => tcp({ src: US, dst: THEM, sport: 61000, dport: 1 + i, flags: 'A', ts: 100 + i * 0.01 }));
    const [f, ...rest] = detect(evs);
    expect(rest).toEqual([]);
    expect(f.facts).toMatchObject({ packets: 49, conversations: 49, refusedByRst: 0, joinedLateNotCounted: 51, targetCount: 1 });
    expect(f.evidence[0].excerpt).toContain(`${THEM}:52 tcp [.] ACK`);
  });
});

describe('lone ACK thresholds', () => {
  /** Something else in the same capture file marks where the capture starts. */
  const start = (ts: number, file?: string): NetEvent => udp({ src: THEM, dst: US, sport: 53, dport: 40000, payloadLength: 40, ts, file });

  it(`an unanswered ACK ${JOIN_WINDOW_US} µs after the capture starts may be owed from before it; 1 µs later it is not`, () => {
    const at = (offsetUs: number): NetEvent[] => [start(10), tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'A', ts: 10 + offsetUs / 1e6 })];
    expect(detect(at(JOIN_WINDOW_US))).toEqual([]);
    expect(acks(detect(at(JOIN_WINDOW_US + 1)))).toEqual([[1, 1]]);
  });

  it('the window is measured from the start of the ACK\'s own capture file', () => {
    const late = tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'A', ts: 20.1, file: 'b.pcap' });
    expect(detect([start(10, 'a.pcap'), start(20, 'b.pcap'), late])).toEqual([]);
    expect(acks(detect([start(10, 'a.pcap'), start(19.5, 'b.pcap'), late]))).toEqual([[1, 1]]);
  });

  it('two unanswered ACKs count when the later one is past the window, though the first opens the capture', () => {
    const two = (gapS: number): NetEvent[] => [1, 1 + gapS].map((ts) => tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'A', ts }));
    expect(detect(two(0.5))).toEqual([]);
    expect(acks(detect(two(0.500001)))).toEqual([[2, 1]]);
  });

  it('answered with ACK the other side holds the connection; with RST, or RST-ACK, it does not, even at the start of the capture', () => {
    const ack = tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'A', ts: 1 });
    const answer = (flags: string): NetEvent => tcp({ src: THEM, dst: US, sport: 80, dport: 40000, flags, ts: 1.001 });
    expect(detect([ack, answer('A')])).toEqual([]);
    expect(acks(detect([ack, answer('R')]))).toEqual([[1, 1]]);
    expect(acks(detect([ack, answer('RA')]))).toEqual([[1, 1]]);
    // An ACK answered first by ACK and then by RST was refused in the end.
    expect(acks(detect([ack, answer('A'), tcp({ src: THEM, dst: US, sport: 80, dport: 40000, flags: 'R', ts: 1.002 })]))).toEqual([[1, 1]]);
  });

  it('our ACK followed by our FIN-ACK closes a connection the capture joined late: not a probe', () => {
    const evs = [start(1), tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'A', ts: 5 })];
    expect(acks(detect(evs))).toEqual([[1, 1]]);
    expect(detect([...evs, tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'FA', ts: 6 })])).toEqual([]);
  });
});

describe('lone ACK flow records', () => {
  const head = '         StartTime        Dur      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  SrcPkts  DstPkts     SrcBytes     DstBytes State ';
  const line = (s: number, port: number, out: number, back: number, state: string): string =>
    ` ${1766018400 + s}.000000   0.000500  e           tcp      ${US}.${port}    <?>         ${THEM}.80            ${out}        ${back}           54           60  ${state}`;
  const found = async (...lines: string[]): Promise<Array<[string, unknown, unknown]>> => {
    const f = craftedPackets.detect(await evidenceContext('ra.txt', `${[head, line(0, 1, 1, 1, 'sS_SA'), ...lines].join('\n')}\n`, [US]));
    return f.map((x) => [x.id, x.facts?.packets, x.facts?.joinedLateNotCounted]);
  };

  it('ra -Z b: unanswered A_ counts past the window and not in it; A_A (answered by ACK) and A_PA never', async () => {
    expect(await found(line(1, 45195, 1, 0, 'A_'))).toEqual([['crafted-ack-no-handshake', 1, undefined]]);
    expect(await found(line(0, 45195, 1, 0, 'A_'))).toEqual([]);
    expect(await found(line(1, 45195, 1, 1, 'A_A'))).toEqual([]);
    expect(await found(line(1, 45195, 1, 1, 'A_PA'))).toEqual([]);
    expect(await found(line(0, 45195, 1, 1, 'A_RA'))).toEqual([['crafted-ack-no-handshake', 1, undefined]]);
  });

  it('argus letters: E with at most 2 packets out, unanswered or reset, counts; 3 packets, an answer without R, or a FIN do not', async () => {
    const letters = (out: number, back: number, state: string, s = 5): string => line(s, 45195, out, back, state);
    expect(await found(letters(2, 0, 'E'))).toEqual([['crafted-ack-no-handshake', 1, undefined]]);
    expect(await found(letters(3, 0, 'E'))).toEqual([]);
    expect(await found(letters(1, 1, 'E'))).toEqual([]);
    expect(await found(letters(1, 1, 'ER', 0))).toEqual([['crafted-ack-no-handshake', 1, undefined]]);
    expect(await found(letters(1, 0, 'EF'))).toEqual([]);
    // A long flow the capture joined late, with data both ways: established, not probed.
    expect(await found(letters(40, 60, 'E'))).toEqual([]);
  });
});
