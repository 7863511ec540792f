import { beforeEach, describe, expect, it } from 'vitest';
import { flagBlindChain } from '../../../analysis/sensors/flag-blind';
import { SCANLOGD_WEIGHT_THRESHOLD } from '../../../analysis/sensors/scanlogd';
import { resetPacketNumbers, tcp, udp } from '../../helpers/events';

/** A counter that ignores flags, paced like scanlogd: our replies count as new ports. */
const US = '198.51.100.80';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());
const replies = (n: number, gap: number, first = 30000): ReturnType<typeof tcp>[] =>
  Array.from({ length: n }, (_, i) => tcp({ src: US, dst: THEM, sport: 80, dport: first + i, flags: 'SA', ts: 10 + i * gap }));

describe('flag-blind counter', () => {
  it('counts a server\'s SYN-ACKs to client ports: 21 high ports reach scanlogd\'s weight, 20 do not', () => {
    expect(flagBlindChain(replies(21, 0.5))).toMatchObject({ ports: 21, weight: SCANLOGD_WEIGHT_THRESHOLD, target: THEM, start: 10_000_000, end: 20_000_000 });
    expect(flagBlindChain(replies(20, 0.5)).weight).toBe(SCANLOGD_WEIGHT_THRESHOLD - 1);
  });

  it('a new port more than 3 s after the last starts a new chain; the heaviest is kept with its packets', () => {
    const evs = [...replies(5, 1, 30000), ...replies(8, 1, 31000).map((e) => ({ ...e, ts: e.ts + 20_000_000 }))];
    const r = flagBlindChain(evs);
    expect(r).toMatchObject({ ports: 8, weight: 8 });
    expect(r.packets.map((e) => e.dport)).toEqual(Array.from({ length: 8 }, (_, i) => 31000 + i));
  });

  it('repeated ports add nothing; each target has its own chain', () => {
    const evs = [...replies(3, 0.1), ...replies(3, 0.1), udp({ src: US, dst: '192.0.2.11', sport: 53, dport: 53, ts: 11 })];
    expect(flagBlindChain(evs)).toMatchObject({ ports: 3, weight: 3, target: THEM });
    expect(flagBlindChain([])).toMatchObject({ ports: 0, weight: 0, packets: [] });
  });
});
