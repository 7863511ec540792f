import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../analysis/complaint/parse-complaint';
import { settleDateOrder } from '../../../analysis/correlate/date-order';
import { TimeOccupancy } from '../../../analysis/correlate/time-occupancy';
import { loadEvents } from '../../helpers/load-events';
import { casesDir } from '../../helpers/paths';

/** seed003's capture runs from 2026-01-12 10:00 to 10:07 UTC. */
async function seen(): Promise<TimeOccupancy> {
  const t = new TimeOccupancy();
  for (const e of await loadEvents(join(casesDir, 'seed003-udp770-compromise', 'lan-span.pcap'))) t.add(e.ts);
  return t;
}

const complaint = (when: string) => parseComplaint(new TextEncoder().encode(`Subject: worm\n\nUDP bursts from 198.51.100.90 port 770 seen on ${when} UTC.\n`), { fileName: 'c.txt', nowMs: Date.UTC(2026, 1, 1) });

describe('day/month order settled by the evidence', () => {
  it('"12/01/2026 10:05": the evidence covers 12 January, not 1 December, so the complaint is read day first and says so', async () => {
    const c = await complaint('12/01/2026 10:05');
    expect(c.times[0].swappedTs).toBeDefined();
    const warnings: string[] = [];
    const settled = settleDateOrder(c, await seen(), warnings);
    expect(new Date(settled.times[0].ts / 1000).toISOString()).toBe('2026-01-12T10:05:00.000Z');
    expect(settled.times[0].swappedTs).toBe(c.times[0].ts);
    expect(warnings).toEqual(['read "12/01/2026 10:05 UTC" day first (day/month): our evidence covers that date, not the month-first one']);
  });

  it('leaves the reading as written when the evidence covers it, or neither, and an unambiguous date alone', async () => {
    const occupied = await seen();
    for (const when of ['01/12/2026 10:05', '05/06/2026 10:05', '2026-01-12 10:05']) {
      const c = await complaint(when);
      const warnings: string[] = [];
      expect(settleDateOrder(c, occupied, warnings)).toBe(c);
      expect(warnings).toEqual([]);
    }
  });
});
