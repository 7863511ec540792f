import { beforeEach, describe, expect, it } from 'vitest';
import {
  CraftedAccumulator, MAX_CONVERSATIONS, MAX_QUOTED_CONVERSATIONS, MAX_SOURCES, craftedPackets,
} from '../../../analysis/detect/crafted-packets';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { IPPROTO_TCP, TCP_FIN, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { resetPacketNumbers, tcp, tcpSession, udp } from '../../helpers/events';
import { corpusContext } from './corpus';
import { evidenceContext, readFixture } from './evidence';

const US = '198.51.100.90';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());

/** Two accumulators over two parts, the second folded into the first. */
function inTwo(ctx: DetectContext, first: NetEvent[], second: NetEvent[]): Finding[] {
  const a = craftedPackets.start(ctx);
  const b = craftedPackets.start(ctx);
  for (const e of first) a.add(e);
  for (const e of second) b.add(e);
  a.merge(b);
  return a.finish(ctx);
}

/** Halves in file order, the later half read first, and odd/even packets: all must give the one pass. */
function expectSplitsAgree(ctx: DetectContext): Finding[] {
  const one = craftedPackets.detect(ctx);
  const evs = ctx.events;
  const mid = evs.length >> 1;
  expect(inTwo(ctx, evs.slice(0, mid), evs.slice(mid))).toEqual(one);
  expect(inTwo(ctx, evs.slice(mid), evs.slice(0, mid))).toEqual(one);
  expect(inTwo(ctx, evs.filter((_, i) => i % 2 === 0), evs.filter((_, i) => i % 2 === 1))).toEqual(one);
  return one;
}

describe('crafted-packets streaming: two parts merged give the one pass', () => {
  it.each([
    ['pcap/evilfingers__ACK_SCAN.pcap', '192.168.1.10', [['crafted-ack-no-handshake', 1000]]],
    ['pcap/evilfingers__FIN_SCAN.pcap', '192.168.1.10', [['crafted-lone-fin', 1000]]],
    ['pcap/evilfingers__NULL_SCAN.pcap', '192.168.1.10', [['crafted-null-flags', 1000]]],
    ['pcapng/chrissanders__activeosfingerprinting.pcapng', '172.16.16.128', [['crafted-null-flags', 4], ['crafted-syn-fin', 4], ['crafted-lone-fin', 4]]],
    ['pcap/ppa__ipfragments.pcap', '192.168.0.193', [['crafted-fragment-port-zero', expect.any(Number)]]],
    ['pcap/zeek__wikipedia.pcap', '141.142.220.118', []],
  ])('%s (%s)', async (file, host, expected) => {
    const one = expectSplitsAgree(await corpusContext(file, [host]));
    expect(one.map((f) => [f.id, f.facts?.packets])).toEqual(expected);
  });

  it('argus letter states of seed 004 and ra -Z b records of a FIN scan', async () => {
    expect(expectSplitsAgree(makeContext({ events: await readFixture('argus/seed004-wrapped.txt'), accused: ['133.74.6.1'] })).map((f) => f.id))
      .toEqual(['crafted-same-port', 'crafted-ack-no-handshake']);
    expect(expectSplitsAgree(await corpusContext('argus/generated__evilfingers_fin_scan.ra-long.txt', ['192.168.1.10'])).map((f) => f.id))
      .toEqual(['crafted-lone-fin']);
  });

  it('a conversation cut anywhere: the SYN in one part, the lone-looking ACK in the other, still makes no finding; a refused ACK still does', () => {
    const evs = [
      ...tcpSession({ client: US, server: THEM, sport: 40000, dport: 80, ts: 1 }),
      ...tcpSession({ client: US, server: THEM, sport: 179, dport: 179, ts: 2 }),
      tcp({ src: US, dst: THEM, sport: 5555, dport: 5555, flags: 'A', ts: 3 }),
      tcp({ src: THEM, dst: US, sport: 5555, dport: 5555, flags: 'R', ts: 3.001 }),
      tcp({ src: US, dst: THEM, sport: 40001, dport: 81, flags: 'A', ts: 4 }),
      tcp({ src: US, dst: THEM, sport: 40001, dport: 81, flags: 'A', ts: 5 }),
      tcp({ src: US, dst: THEM, sport: 40002, dport: 82, flags: 'A', ts: 6 }),
      tcp({ src: THEM, dst: US, sport: 82, dport: 40002, flags: 'A', ts: 6.001 }),
      udp({ src: US, dst: THEM, sport: 0, dport: 53, ts: 7 }),
    ];
    const ctx = makeContext({ events: evs, accused: [US] });
    const one = craftedPackets.detect(ctx);
    expect(one.map((f) => [f.id, f.facts?.packets, f.facts?.conversations])).toEqual([
      ['crafted-same-port', 1, undefined], ['crafted-ack-no-handshake', 3, 2], ['crafted-port-zero', 1, undefined],
    ]);
    // Every cut point, in both orders: the decisions and the quotes do not depend on where the capture was split.
    for (let cut = 0; cut <= ctx.events.length; cut++) {
      expect(inTwo(ctx, ctx.events.slice(0, cut), ctx.events.slice(cut))).toEqual(one);
      expect(inTwo(ctx, ctx.events.slice(cut), ctx.events.slice(0, cut))).toEqual(one);
    }
  });

  it('IPv6 conversations: the two tables number addresses differently, merged by name', () => {
    const a = '2001:db8::90', b = '2001:db8::10', c = '2001:db8::11';
    const evs = [
      tcp({ src: b, dst: a, sport: 80, dport: 40000, flags: 'R', ts: 2.1 }),
      tcp({ src: a, dst: c, sport: 1, dport: 1, flags: 'R', ts: 1 }),
      tcp({ src: a, dst: b, sport: 40000, dport: 80, flags: 'A', ts: 2 }),
      tcp({ src: c, dst: a, sport: 443, dport: 40001, flags: 'PA', payloadLength: 10, ts: 3 }),
      tcp({ src: a, dst: c, sport: 40001, dport: 443, flags: 'A', ts: 3.1 }),
    ];
    const ctx = makeContext({ events: evs, accused: [a] });
    const one = craftedPackets.detect(ctx);
    expect(one.map((f) => [f.id, f.facts?.refusedByRst])).toEqual([['crafted-same-port', undefined], ['crafted-ack-no-handshake', 1]]);
    for (let cut = 0; cut <= evs.length; cut++) {
      expect(inTwo(ctx, evs.slice(0, cut), evs.slice(cut))).toEqual(one);
      expect(inTwo(ctx, evs.slice(cut), evs.slice(0, cut))).toEqual(one);
    }
  });
});

describe('crafted-packets streaming: bounded memory, bounds stated', () => {
  const T = 1_766_000_000_000_000;
  const pkt = (i: number, over: Partial<NetEvent>): NetEvent => ({
    kind: 'packet', ts: T + i * 10, src: US, dst: THEM, proto: IPPROTO_TCP, sport: 40000, dport: 80, tcpFlags: TCP_FIN, ttl: 64,
    source: { file: 'flood.pcap', packet: i + 1, offset: 24 + i * 60 }, ...over,
  });

  it('200 000 lone FINs read backwards: counts exact, quotes bounded, the first and the last quoted', () => {
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = craftedPackets.start(ctx) as CraftedAccumulator;
    const n = 200_000;
    for (let i = n - 1; i >= 0; i--) acc.add(pkt(i, { dport: 1 + (i % 1000) }));
    const tally = acc.tallies.get(US, 'lone-fin')!;
    expect(tally.quotes.events().length).toBeLessThanOrEqual(65);
    const [f] = acc.finish(ctx);
    expect(f.facts).toMatchObject({ packets: n, targetCount: 1, spanSeconds: 2 });
    expect(f.evidence).toHaveLength(12);
    expect(f.evidence[0].packet).toBe(1);
    expect(f.evidence.at(-1)!.packet).toBe(n);
  });

  it(`past ${MAX_CONVERSATIONS} conversations the rest are counted, past ${MAX_QUOTED_CONVERSATIONS} the rest are not quoted, and the facts say so`, () => {
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = craftedPackets.start(ctx) as CraftedAccumulator;
    const extra = 1000;
    // Same-port RSTs to one port on many hosts: each its own conversation.
    for (let i = 0; i < MAX_CONVERSATIONS + extra; i++) {
      acc.add(pkt(i, { dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, sport: 7000, dport: 7000, tcpFlags: 0x04 }));
    }
    expect(acc.table.rows).toBe(MAX_CONVERSATIONS);
    expect(acc.quoted.size).toBe(MAX_QUOTED_CONVERSATIONS);
    const [f] = acc.finish(ctx);
    expect(f.id).toBe('crafted-same-port');
    expect(f.facts).toMatchObject({
      packets: MAX_CONVERSATIONS, packetsNotFollowed: extra, conversationsNotQuoted: MAX_CONVERSATIONS - MAX_QUOTED_CONVERSATIONS,
      targetCountExact: false,
    });
    expect(f.summary).toMatch(new RegExp(`^${US} sent ${MAX_CONVERSATIONS} TCP packets with the same source and destination port outside any handshake to about \\d+ hosts\\.$`));
  });

  it(`${MAX_SOURCES} sources are followed; the events of the next are counted in every finding`, () => {
    const ctx = makeContext({ events: [], accused: [], ourPrefixes: ['10.9.'] });
    const acc = craftedPackets.start(ctx);
    for (let s = 0; s <= MAX_SOURCES; s++) acc.add(pkt(s, { src: `10.9.${s >> 8}.${s & 255}` }));
    const f = acc.finish(ctx);
    expect(f).toHaveLength(MAX_SOURCES);
    expect(f.every((x) => x.facts?.sourcesNotFollowed === 1)).toBe(true);
  });
});

describe('crafted-packets streaming: flow records', () => {
  it('ra -Z b lone ACK records split in two give the one pass', async () => {
    const text = [
      '         StartTime        Dur      Flgs  Proto            SrcAddr  Sport   Dir            DstAddr  Dport  SrcPkts  DstPkts     SrcBytes     DstBytes State ',
      ` 1766018400.000000   0.000500  e           tcp      ${US}.45195    <?>         ${THEM}.25            1        0           54            0  A_`,
      ` 1766018401.000000   0.000500  e           tcp      ${US}.45196    <?>         ${THEM}.80            1        1           54           60  A_R`,
      ` 1766018402.000000   0.000500  e           tcp      ${US}.45197    <?>         ${THEM}.81            1        0           54            0  A_`,
    ].join('\n');
    const ctx = await evidenceContext('ra.txt', `${text}\n`, [US]);
    const one = expectSplitsAgree(ctx);
    expect(one.map((f) => [f.id, f.evidence.map((e) => e.line), f.facts?.joinedLateNotCounted])).toEqual([['crafted-ack-no-handshake', [3, 4], 1]]);
  });
});
