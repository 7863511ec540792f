import { describe, expect, it } from 'vitest';
import { Earliest } from '../../../../analysis/detect/requested/peers';
import type { NetEvent } from '../../../../analysis/events/event';
import { THEM } from '../requested-traffic';
import { activeFtpEvents, tableOf } from './table';

const ev = (ts: number, packet: number): NetEvent => ({ kind: 'packet', ts, source: { file: 'x.pcap', packet, offset: packet } });

describe('what one peer asked and what we sent it', () => {
  it('the active-FTP fixture: the peer the complaint names is followed exactly; two halves merged keep what one pass keeps', async () => {
    const events = await activeFtpEvents();
    const one = tableOf(events);
    const { entries, sampled } = one.peers();
    expect(entries.map(([p]) => p)).toEqual([THEM]);
    expect(sampled).toBe(false);
    const s = one.named.get(THEM)!;
    expect(s.requests.sorted().filter((r) => r.kind === 'ftp-active-data')).toHaveLength(5);
    for (const cut of [1, events.length >> 1, events.length - 1]) {
      const a = tableOf(events.slice(0, cut)), b = tableOf(events.slice(cut));
      b.merge(a);
      const m = b.named.get(THEM)!;
      expect(m.requests.sorted()).toEqual(s.requests.sorted());
      expect(m.openings.sorted()).toEqual(s.openings.sorted());
      expect([m.requests.count, m.openings.count]).toEqual([s.requests.count, s.openings.count]);
    }
  });

  it('a peer the complaint does not name goes to the sampled table', async () => {
    const t = tableOf(await activeFtpEvents(), []);
    expect(t.named.size).toBe(0);
    expect(t.peers().entries.map(([p]) => p)).toEqual([THEM]);
  });

  it('Earliest keeps the cap earliest by event order, whatever the order of arrival, and counts all', () => {
    const order = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const e = new Earliest<{ ev: NetEvent }>(10);
    for (const i of order) e.add(ev(1_000_000 + i, i + 1), () => ({ ev: ev(1_000_000 + i, i + 1) }));
    expect(e.sorted().map((x) => x.ev.source.packet)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([e.count, e.complete]).toEqual([1000, false]);
    const small = new Earliest<{ ev: NetEvent }>(10);
    small.add(ev(5, 1), () => ({ ev: ev(5, 1) }));
    expect(small.complete).toBe(true);
  });
});
