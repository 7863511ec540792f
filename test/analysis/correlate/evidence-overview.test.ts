import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceOverview } from '../../../analysis/correlate/evidence-overview';
import type { NetEvent } from '../../../analysis/events/event';
import { loadEvents } from '../../helpers/load-events';
import { casesDir } from '../../helpers/paths';

const US = '198.51.100.80';
const THEM = '192.0.2.66';
const border = () => loadEvents(join(casesDir, 'seed001-synflood-backscatter', 'www-border.pcap'));

function overview(events: NetEvent[]): EvidenceOverview {
  const o = new EvidenceOverview(new Set([US]), new Set([THEM]), [US, THEM]);
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
    expect(o.topPeers(1)).toEqual([THEM]);
  });

  it('halves merged give the one pass', async () => {
    const events = await border();
    const one = overview(events);
    const a = overview(events.slice(0, 2000));
    a.merge(overview(events.slice(2000)));
    expect([a.accusedEvents, a.pairEvents, a.firstTs, a.lastTs, a.topPeers(1)]).toEqual([one.accusedEvents, one.pairEvents, one.firstTs, one.lastTs, one.topPeers(1)]);
  });
});
