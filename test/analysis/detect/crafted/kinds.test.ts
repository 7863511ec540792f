import { beforeEach, describe, expect, it } from 'vitest';
import { craftedPackets } from '../../../../analysis/detect/crafted-packets';
import type { Finding } from '../../../../analysis/detect/detector';
import type { NetEvent } from '../../../../analysis/events/event';
import { makeContext } from '../../../helpers/context';
import { resetPacketNumbers, tcp, udp } from '../../../helpers/events';
import { corpusContext } from '../corpus';
import { evidenceContext, readFixture } from '../evidence';
import { connLog, type ConnRow } from '../zeek-log';

const US = '198.51.100.90';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());
const detect = (events: NetEvent[], accused = [US]): Finding[] => craftedPackets.detect(makeContext({ events, accused }));
const ids = (f: Finding[]): string[] => f.map((x) => x.id).sort();

describe('crafted-packets: what each kind reports', () => {
  it('lone FINs to two hosts: count, targets, span, summary and the packets quoted', () => {
    const evs = [1, 2, 3, 4, 5].map((i) => tcp({ src: US, dst: i % 2 ? THEM : '192.0.2.11', sport: 40000, dport: 20 + i, flags: 'F', ts: 10 + i * 0.5 }));
    const [f, ...rest] = detect(evs);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'crafted-lone-fin', detector: 'crafted-packets', leaning: 'compromise' });
    expect(f.facts).toEqual({ source: US, kind: 'lone-fin', packets: 5, targetCount: 2, targetSample: [THEM, '192.0.2.11'], spanSeconds: 2 });
    expect(f.summary).toBe(`${US} sent 5 TCP FIN packets without ACK to 2 hosts.`);
    expect(f.evidence.map((e) => e.packet)).toEqual([1, 2, 3, 4, 5]);
    expect(f.strength).toBeCloseTo(0.46, 10);
  });

  it('one host is "host"; many packets add weight up to 0.15', () => {
    const many = Array.from({ length: 600 }, (_, i) => tcp({ src: US, dst: THEM, sport: 40000, dport: 1 + i, flags: '', ts: 10 + i * 0.01 }));
    const [f] = detect(many);
    expect(f.summary).toBe(`${US} sent 600 TCP packets with no flags at all to 1 host.`);
    expect(f.strength).toBeCloseTo(0.6, 10);
    expect(f.evidence).toHaveLength(12);
  });

  it.each([
    ['SF', 'crafted-syn-fin'], ['SFA', 'crafted-syn-fin'], [0x3f, 'crafted-all-flags'], [0xff, 'crafted-all-flags'], ['', 'crafted-null-flags'],
    ['F', 'crafted-lone-fin'], ['FPU', 'crafted-lone-fin'],
  ])('flags %j are %s', (flags, id) => {
    expect(ids(detect([tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags, ts: 1 })]))).toEqual([id]);
  });

  it.each([['FA'], ['RA'], ['R'], ['S'], ['SA'], ['PA']])('flags %j alone are what stacks send', (flags) => {
    expect(detect([tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags, ts: 1 })])).toEqual([]);
  });

  it('a lone ACK twice on one tuple is a probe, three times is a connection the capture joined late', () => {
    const acks = (n: number): NetEvent[] => Array.from({ length: n }, (_, i) => tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'A', ts: 1 + i }));
    expect(detect(acks(2)).map((f) => [f.id, f.facts?.packets])).toEqual([['crafted-ack-no-handshake', 2]]);
    expect(detect(acks(3))).toEqual([]);
  });

  it('a lone ACK answered by RST is a probe; answered by anything else it belongs to a conversation', () => {
    const ack = tcp({ src: US, dst: THEM, sport: 40000, dport: 80, flags: 'A', ts: 1 });
    expect(ids(detect([ack, tcp({ src: THEM, dst: US, sport: 80, dport: 40000, flags: 'R', ts: 1.1 })]))).toEqual(['crafted-ack-no-handshake']);
    expect(detect([ack, tcp({ src: THEM, dst: US, sport: 80, dport: 40000, flags: 'PA', payloadLength: 10, ts: 1.1 })])).toEqual([]);
  });

  it('same ports outside a handshake are crafted; in a session (BGP 179 to 179) or on port 0 they are not "same-port"', () => {
    expect(ids(detect([tcp({ src: US, dst: THEM, sport: 8080, dport: 8080, flags: 'R', ts: 1 })]))).toEqual(['crafted-same-port']);
    const bgp = [
      tcp({ src: US, dst: THEM, sport: 179, dport: 179, flags: 'S', ts: 1 }), tcp({ src: THEM, dst: US, sport: 179, dport: 179, flags: 'SA', ts: 1.1 }),
      tcp({ src: US, dst: THEM, sport: 179, dport: 179, flags: 'A', ts: 1.2 }),
    ];
    expect(detect(bgp)).toEqual([]);
    expect(ids(detect([tcp({ src: US, dst: THEM, sport: 0, dport: 0, flags: 'S', ts: 1 })]))).toEqual(['crafted-port-zero']);
    expect(ids(detect([tcp({ src: US, dst: THEM, sport: 1, dport: 1, flags: 'R', ts: 1 })]))).toEqual(['crafted-same-port']);
  });

  it('a capture that joins a running BGP session (179 to 179) sees ACKs and 1-byte keepalives: a conversation, not probes', () => {
    const evs = [
      tcp({ src: US, dst: THEM, sport: 179, dport: 179, flags: 'A', payloadLength: 1, ts: 1 }),
      tcp({ src: THEM, dst: US, sport: 179, dport: 179, flags: 'A', ts: 1.1 }),
      tcp({ src: US, dst: THEM, sport: 179, dport: 179, flags: 'A', ts: 61 }),
    ];
    expect(detect(evs)).toEqual([]);
  });

  it('port 0 on UDP too; a first fragment keeps its ports, later fragments have none and are context', () => {
    const f = detect([
      udp({ src: US, dst: THEM, sport: 0, dport: 53, ts: 1 }),
      udp({ src: US, dst: THEM, sport: 53, dport: 40000, payloadLength: 1472, fragment: { offset: 0, more: true, id: 7 }, ts: 2 }),
      udp({ src: US, dst: THEM, payloadLength: 600, fragment: { offset: 1480, more: false, id: 7 }, ts: 2.001 }),
    ]);
    const byId = Object.fromEntries(f.map((x) => [x.id, x]));
    expect(Object.keys(byId).sort()).toEqual(['crafted-fragment-port-zero', 'crafted-port-zero']);
    expect(byId['crafted-port-zero'].facts).toMatchObject({ packets: 1, kind: 'port-zero' });
    expect(byId['crafted-port-zero'].summary).toBe(`${US} sent 1 TCP/UDP packets to or from port 0 (not fragments) to 1 host.`);
    expect(byId['crafted-port-zero'].explanation).toBe('Port 0 is reserved and no service listens on it; genuine port-0 traffic is crafted (probes, broken tools).');
    expect(byId['crafted-fragment-port-zero'].explanation).toContain('tools that show ports anyway show them as port 0. "Port 0 traffic" in a report is usually this');
    expect(byId['crafted-fragment-port-zero'].summary).toBe(`1 packets from ${US} are non-first IP fragments: they have no ports, which an IDS shows as "port 0".`);
    expect(byId['crafted-fragment-port-zero'].strength).toBe(0.3);
  });

  it('packets of other hosts are not ours to explain', () => {
    expect(detect([tcp({ src: THEM, dst: US, sport: 1, dport: 2, flags: 'F', ts: 1 })])).toEqual([]);
  });
});

describe('crafted-packets on flow records', () => {
  const row = (r: Partial<ConnRow>): ConnRow => ({ ts: 1766018400, orig: US, origPort: 7000, resp: THEM, respPort: 7000, state: 'S0', history: 'S', origPkts: 1, respPkts: 0, ...r });

  it('Zeek: same ports with at most 2 packets out and nothing back are crafted; 3 packets or any reply bytes are not', async () => {
    const found = async (r: Partial<ConnRow>): Promise<string[]> => ids(craftedPackets.detect(await evidenceContext('conn.log', connLog([row(r)]), [US])));
    expect(await found({ origPkts: 2 })).toEqual(['crafted-same-port']);
    expect(await found({ origPkts: 3 })).toEqual([]);
    expect(await found({ origPkts: 1, respPkts: 1, respIpBytes: 40, state: 'REJ', history: 'Sr' })).toEqual([]);
    expect(await found({ origPort: 0, respPort: 80 })).toEqual(['crafted-port-zero']);
  });

  it('argus ra -Z b of an nmap FIN scan and an Xmas scan (F_RA, FPU_*): lone FINs, as in the captures', async () => {
    for (const [file, capture] of [['fin_scan', 'FIN_SCAN'], ['xmas_scan', 'XMAS_TREE_SCAN']]) {
      const flows = craftedPackets.detect(await corpusContext(`argus/generated__evilfingers_${file}.ra-long.txt`, ['192.168.1.10']));
      const packets = craftedPackets.detect(await corpusContext(`pcap/evilfingers__${capture}.pcap`, ['192.168.1.10']));
      expect(flows.map((f) => [f.id, f.facts?.packets, f.facts?.targetSample])).toEqual([['crafted-lone-fin', 1000, ['192.168.1.25']]]);
      expect(packets.map((f) => [f.id, f.facts?.packets])).toEqual([['crafted-lone-fin', 1000]]);
      expect(flows[0].evidence[0]).toMatchObject({ file: `generated__evilfingers_${file}.ra-long.txt`, line: 2 });
    }
  });

  it('ra -Z b states of ordinary connections and SYN scans are not crafted', async () => {
    expect(craftedPackets.detect(await corpusContext('argus/generated__zeek_wikipedia_http.ra-long.txt', ['141.142.220.118']))).toEqual([]);
    expect(craftedPackets.detect(await corpusContext('argus/generated__evilfingers_syn_scan.ra-long.txt', ['192.168.1.10']))).toEqual([]);
  });

  it('ra -Z b: a source that sent no flags, or bare ACKs, without a SYN', async () => {
    const text = [
      '         StartTime        Dur      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  SrcPkts  DstPkts     SrcBytes     DstBytes State ',
      ` 1766018400.000000   0.000500  e           tcp      ${US}.45195    <?>         ${THEM}.25            1        1           54           60  _RA`,
      ` 1766018400.100000   0.000500  e           tcp      ${US}.45196    <?>         ${THEM}.80            1        1           54           60  A_R`,
      ` 1766018400.200000   0.000500  e           tcp      ${US}.45197    <?>         ${THEM}.81            3        1          162           60  A_R`,
      ` 1766018400.300000   0.000500  e           tcp      ${US}.45198    <?>         ${THEM}.82            2        1          108           60  A_R`,
    ].join('\n');
    const f = craftedPackets.detect(await evidenceContext('ra.txt', `${text}\n`, [US]));
    expect(f.map((x) => [x.id, x.evidence.map((e) => e.line)])).toEqual([['crafted-null-flags', [2]], ['crafted-ack-no-handshake', [3, 5]]]);
  });

  it('seed 004 letter states, for comparison: same ports and E without a handshake', async () => {
    const f = craftedPackets.detect(makeContext({ events: await readFixture('argus/seed004-wrapped.txt'), accused: ['133.74.6.1'] }));
    expect(f.map((x) => [x.id, x.facts?.packets, x.facts?.targetCount])).toEqual([['crafted-same-port', 10, 2], ['crafted-ack-no-handshake', 10, 2]]);
  });
});
