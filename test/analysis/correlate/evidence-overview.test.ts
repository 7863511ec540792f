import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceOverview } from '../../../analysis/correlate/evidence-overview';
import type { NetEvent } from '../../../analysis/events/event';
import { loadEvents } from '../../helpers/load-events';
import { casesDir } from '../../helpers/paths';

const US = '198.51.100.80';
const THEM = '192.0.2.66';
const border = () => loadEvents(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'));

/** `targets`: the complaint's named targets (none: the overview keeps the accused's busiest peers for the notes). */
function overview(events: NetEvent[], targets: string[] = [THEM]): EvidenceOverview {
  const o = new EvidenceOverview(new Set([US]), new Set(targets), [US, ...targets]);
  for (const e of events) o.add(e);
  return o;
}

describe('the evidence overview', () => {
  it('seed001 border capture: every packet involves our server, 548 of them the complainant, the span as capinfos gives it', async () => {
    const events = await border();
    const o = overview(events);
    expect([o.accusedEvents, o.pairEvents]).toEqual([6864, 548]);
    expect([o.firstTs, o.lastTs]).toEqual([Math.min(...events.map((e) => e.ts)), Math.max(...events.map((e) => e.ts))]);
    expect(o.host(THEM)!.hasWithin(events.find((e) => e.src === THEM)!.ts, 0)).toBe(true);
    expect(o.host('203.0.113.1')).toBeUndefined();
    // A named target: no peers kept (a flood's answers would make a counter per forged source).
    expect(o.topPeers(1)).toEqual([]);
    expect(overview(events, []).topPeers(1)).toEqual([THEM]);
  });

  it('halves merged give the one pass', async () => {
    const events = await border();
    const one = overview(events);
    const a = overview(events.slice(0, 2000));
    a.merge(overview(events.slice(2000)));
    expect([a.accusedEvents, a.pairEvents, a.firstTs, a.lastTs]).toEqual([one.accusedEvents, one.pairEvents, one.firstTs, one.lastTs]);
    const b = overview(events.slice(0, 2000), []);
    b.merge(overview(events.slice(2000), []));
    expect(b.topPeers(1)).toEqual(overview(events, []).topPeers(1));
    expect(b.topPeers(1)).toEqual([THEM]);
  });
});
