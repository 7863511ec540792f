import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addPreceded, burstFigures, mergeStats, newStats, precededList, trimEarliest } from '../../../analysis/detect/worm-burst-stats';
import { BurstTracker } from '../../../analysis/detect/worm-bursts';
import type { NetEvent } from '../../../analysis/events/event';
import { loadEvents } from '../../helpers/load-events';
import { casesDir } from '../../helpers/paths';

async function lanSpan(): Promise<NetEvent[]> {
  return loadEvents(join(casesDir, 'seed003-udp770-compromise', 'lan-span.pcap'));
}

function port770(events: NetEvent[]) {
  const t = new BurstTracker();
  for (const e of events) if (e.proto === 17 && e.src === '198.51.100.90') t.add(e);
  return t.finish().find((g) => g.sport === 770)!;
}

describe('burst figures of a group', () => {
  it('seed003 lan-span: 25 bursts of 5 datagrams from port 770 to consecutive ports of the broadcast address (as tshark lists them)', async () => {
    const g = port770(await lanSpan());
    const s = g.stats!;
    expect([s.bursts, s.packets, s.traceroutePorts, s.ttlVarying]).toEqual([25, 125, 0, 0]);
    const fig = burstFigures(s);
    expect(fig.lengths).toEqual(Array(25).fill(5));
    expect(fig.starts).toEqual([...fig.starts].sort((a, b) => a - b));
    expect(fig.examples[0]).toBe('198.51.100.255:36785-36789');
    expect(fig.examples).toHaveLength(5);
    expect([fig.dsts, fig.broadcasts]).toEqual([['198.51.100.255'], ['198.51.100.255']]);
    expect(s.firstBurst!.startTs).toBe(fig.starts[0]);
  });

  it('the figures of two halves merged are the figures of one pass', async () => {
    const events = (await lanSpan()).filter((e) => e.proto === 17 && e.src === '198.51.100.90');
    const one = port770(events).stats!;
    const mid = events.length >> 1;
    const a = port770(events.slice(0, mid)).stats!, b = port770(events.slice(mid)).stats!;
    const merged = newStats();
    mergeStats(merged, b);
    mergeStats(merged, a);
    // A burst cut by the split is two runs, each shorter than a burst or not: only whole bursts are compared.
    expect(merged.bursts).toBeGreaterThanOrEqual(one.bursts - 1);
    expect(burstFigures(merged).examples[0]).toBe(burstFigures(one).examples[0]);
    expect(merged.firstBurst!.startTs).toBe(one.firstBurst!.startTs);
  });

  it('keeps the earliest records by start, sorting only past twice the bound unless forced', () => {
    const xs: Array<[number, string]> = [[5, 'e'], [1, 'a'], [4, 'd'], [2, 'b'], [3, 'c']];
    trimEarliest(xs, 3);
    expect(xs).toHaveLength(5);
    trimEarliest(xs, 3, true);
    expect(xs).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
  });

  it('lists what preceded bursts by count, ties in time order, and counts kinds past its limit together', () => {
    const t = newStats();
    addPreceded(t, 'udp 138->138', 300);
    addPreceded(t, 'udp 53->53', 100, 2);
    addPreceded(t, 'udp 138->138', 50);
    addPreceded(t, 'udp 9->9', 10, 2);
    addPreceded(t, null, 5);
    expect(precededList(t)).toEqual([['udp 9->9', 2], ['udp 138->138', 2], ['udp 53->53', 2]]);
    for (let i = 0; i < 70; i++) addPreceded(t, `kind ${i}`, 1000 + i);
    expect(t.precededBy.size).toBe(64);
    expect(t.precededOther).toBe(9);
  });
});
