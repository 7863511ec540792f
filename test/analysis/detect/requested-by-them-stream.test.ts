import { describe, expect, it } from 'vitest';
import type { DetectContext, Finding } from '../../../analysis/detect/detector';
import { requestedByThem, type RequestedAccumulator } from '../../../analysis/detect/requested-by-them';
import { MAX_OPENINGS_PER_PEER, MAX_PEERS, MAX_REQUESTS_PER_PEER } from '../../../analysis/detect/requested/peers';
import { IPPROTO_TCP, TCP_SYN, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { Capture } from '../../helpers/reply-evidence';
import { readEvidence, readFixture } from './evidence';
import { T0, THEM, US, activeFtp, identCallbacks, traceProbe } from './requested-traffic';

function inTwo(ctx: DetectContext, first: NetEvent[], second: NetEvent[]): Finding[] {
  const a = requestedByThem.start(ctx);
  const b = requestedByThem.start(ctx);
  for (const e of first) a.add(e);
  for (const e of second) b.add(e);
  a.merge(b);
  return a.finish(ctx);
}

describe('answer-to-their-request streaming', () => {
  it('the real active-FTP capture cut between a PORT and the connection it asked for: two halves merged, either order, give the one pass', async () => {
    const ctx = makeContext({ events: await readFixture('pcap/requested-ftp-active.pcap'), accused: [US], targets: [THEM] });
    const one = requestedByThem.detect(ctx);
    expect(one.map((f) => f.facts?.count)).toEqual([5]);
    // The cut falls right after the EPRT (packet 86): its answer is in the other half.
    const cut = ctx.events.findIndex((e) => e.source.packet === 87);
    const [h1, h2] = [ctx.events.slice(0, cut), ctx.events.slice(cut)];
    expect(inTwo(ctx, h1, h2)).toEqual(one);
    expect(inTwo(ctx, h2, h1)).toEqual(one);
  });

  it('ident, FTP and traceroute together, from several peers, with no named target: interleaved halves give the one pass', async () => {
    const cap = identCallbacks(new Capture(), [THEM, '203.0.113.6', '203.0.113.7']);
    activeFtp(cap, 4, { start: T0 + 20_000_000 });
    traceProbe(cap, T0 + 40_000_000, { dst: '192.0.2.7', ttl: 1, dport: 33434, answer: 'time-exceeded' });
    const events = await readEvidence('mix.pcap', cap.pcap());
    const ctx = makeContext({ events, accused: [US], targets: [] });
    const one = requestedByThem.detect(ctx);
    expect(one.map((f) => [f.facts?.kind, f.facts?.peer, f.facts?.count])).toEqual([
      ['ftp-active-data', THEM, 4], ['ident-callback', THEM, 1], ['traceroute-replies', THEM, 1],
      ['ident-callback', '203.0.113.6', 1], ['ident-callback', '203.0.113.7', 1],
    ]);
    const even = events.filter((_, i) => i % 2 === 0), odd = events.filter((_, i) => i % 2 === 1);
    expect(inTwo(ctx, odd, even)).toEqual(one);
  });

  it('bounded: 200 000 of our SYNs to one peer and 200 000 of its connections keep a fixed number; 100 000 peers keep MAX_PEERS', () => {
    const ctx = makeContext({ events: [], accused: [US], targets: [THEM] });
    const n = 200_000;
    const acc = feedIdent(ctx, n, false);
    const s = acc.table.named.get(THEM)!;
    expect(s.requests.items.length).toBeLessThan(2 * MAX_REQUESTS_PER_PEER);
    expect(s.openings.items.length).toBeLessThan(2 * MAX_OPENINGS_PER_PEER);
    const [f] = acc.finish(ctx);
    // The earliest are checked (all answer a connection of theirs); the rest are counted, said not checked, and weaken the finding.
    expect(f.facts).toMatchObject({ kind: 'ident-callback', count: MAX_OPENINGS_PER_PEER, unmatched: 0, unchecked: n - MAX_OPENINGS_PER_PEER, complete: false });
    expect(f.evidence[0].packet).toBe(1);
    expect(f.summary).toContain(`${n - MAX_OPENINGS_PER_PEER} other packets of ours`);
    expect(f.strength).toBeLessThan(0.3);

    const wide = requestedByThem.start(makeContext({ events: [], accused: [US], targets: [] })) as RequestedAccumulator;
    for (let i = 0; i < 100_000; i++) {
      wide.add({ kind: 'packet', ts: T0 + i, src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dst: US, sport: 5000, dport: 25, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source: { file: 'b.pcap', offset: i } });
    }
    expect(wide.table.others.size).toBeLessThanOrEqual(MAX_PEERS);
    expect(wide.table.others.exact).toBe(false);
  });

  it('past the bounds, which requests and answers are kept does not depend on the order they are read in', () => {
    const ctx = makeContext({ events: [], accused: [US], targets: [THEM] });
    const n = 5 * MAX_OPENINGS_PER_PEER;
    expect(feedIdent(ctx, n, true).finish(ctx)).toEqual(feedIdent(ctx, n, false).finish(ctx));
  });
});

/** `n` connections of theirs to our IRC port, each followed 10 µs later by our ident SYN, read forward or from the end. */
function feedIdent(ctx: DetectContext, n: number, backwards: boolean): RequestedAccumulator {
  const acc = requestedByThem.start(ctx) as RequestedAccumulator;
  for (let k = 0; k < n; k++) {
    const i = backwards ? n - 1 - k : k;
    const ts = T0 + i * 1000;
    acc.add({ kind: 'packet', ts, src: THEM, dst: US, sport: 1024 + (i % 60000), dport: 6667, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source: { file: 'a.pcap', packet: 2 * i + 1, offset: 2 * i } });
    acc.add({ kind: 'packet', ts: ts + 10, src: US, dst: THEM, sport: 40000, dport: 113, proto: IPPROTO_TCP, tcpFlags: TCP_SYN, source: { file: 'a.pcap', packet: 2 * i + 2, offset: 2 * i + 1 } });
  }
  return acc;
}
