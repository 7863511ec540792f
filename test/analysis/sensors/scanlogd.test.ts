import { beforeEach, describe, expect, it } from 'vitest';
import type { NetEvent } from '../../../analysis/events/event';
import {
  replayScanlogd, SCANLOGD_ALARMS, SCANLOGD_EXPLANATION, SCANLOGD_THRESHOLD_TEXT, SCANLOGD_WEIGHT_THRESHOLD,
} from '../../../analysis/sensors/scanlogd';
import { resetPacketNumbers, tcp } from '../../helpers/events';

/**
 * scanlogd 2.2 (scanlogd.c process_packet, params.h): per source address,
 * new destination ports at most 3 s apart, ports below 1024 weigh 3, others 1,
 * logged at weight 21. The numbers here are scanlogd's published defaults.
 */
const US = '198.51.100.81';
const THEM = '192.0.2.10';
beforeEach(() => resetPacketNumbers());
const syn = (dport: number, ts: number, src = US, dst = THEM): NetEvent => tcp({ src, dst, sport: 40000, dport, flags: 'S', ts });

describe('scanlogd: each alarm of its table, one port below and at', () => {
  it.each(SCANLOGD_ALARMS.map((a) => [a.rule.split(',')[0], a.count, /below 1024/.test(a.rule)] as const))('%s: %i new ports fire, one fewer does not', (_rule, count, privileged) => {
    const burst = (n: number): NetEvent[] => Array.from({ length: n }, (_, i) => syn(privileged ? 100 + i : 40000 + i, 10 + i * 0.5));
    expect(replayScanlogd(burst(count))).toMatchObject({ fired: true, weight: SCANLOGD_WEIGHT_THRESHOLD });
    expect(replayScanlogd(burst(count - 1))).toMatchObject({ fired: false, weight: SCANLOGD_WEIGHT_THRESHOLD - (privileged ? 3 : 1) });
  });

  it('the words for the threshold give the weight, the pacing and what it ignores', () => {
    expect(SCANLOGD_THRESHOLD_TEXT).toBe('scanlogd alarms at weight 21 (each new port below 1024 weighs 3, others 1), the new ports at most 3 s apart; '
      + 'packets with ACK or RST set to a new port are ignored, so a server\'s replies never count');
    expect(SCANLOGD_EXPLANATION).toContain('ports below 1024 weigh 3, others 1, and it logs at weight 21.');
  });
});

describe('scanlogd replay (scanlogd.c rules)', () => {
  it('fires at weight 21: seven privileged ports within 3 s of each other', () => {
    const evs = [21, 22, 23, 25, 80, 110, 143].map((p, i) => tcp({ src: US, dst: THEM, sport: 4000, dport: p, flags: 'S', ts: 10 + i * 2.5 }));
    const r = replayScanlogd(evs);
    expect(r.fired).toBe(true);
    expect(r.weight).toBe(21);
    expect(r.ports).toEqual([21, 22, 23, 25, 80, 110, 143]);
  });

  it('20 high ports weigh 20: no alarm; the 21st fires', () => {
    const evs = Array.from({ length: 21 }, (_, i) => tcp({ src: US, dst: THEM, sport: 4000, dport: 40000 + i, flags: 'S', ts: 10 + i * 0.1 }));
    expect(replayScanlogd(evs.slice(0, 20)).fired).toBe(false);
    expect(replayScanlogd(evs).fired).toBe(true);
  });

  it('a gap over 3 s starts over', () => {
    const evs = [21, 22, 23, 25, 80, 110, 143].map((p, i) => tcp({ src: US, dst: THEM, sport: 4000, dport: p, flags: 'S', ts: 10 + i * 3.5 }));
    expect(replayScanlogd(evs).fired).toBe(false);
  });

  it('ignores anything with ACK (server replies), however many ports', () => {
    const evs = Array.from({ length: 100 }, (_, i) => tcp({ src: US, dst: THEM, sport: 80, dport: 30000 + i, flags: 'SA', ts: 10 + i * 0.05 }));
    const r = replayScanlogd(evs);
    expect(r.fired).toBe(false);
    expect(r.weight).toBe(0);
    expect(r.ignoredAck).toBe(100);
  });
});

describe('scanlogd: pacing, memory and flags', () => {
  it('new ports exactly 3 s apart still count; 3.000001 s apart start over', () => {
    const at = (gap: number): NetEvent[] => [21, 22, 23, 25, 80, 110, 143].map((p, i) => syn(p, 10 + i * gap));
    expect(replayScanlogd(at(3)).fired).toBe(true);
    expect(replayScanlogd(at(3.000001)).fired).toBe(false);
  });

  it('ports below 1024 weigh 3: 1017-1023 fire (21), 1018-1024 do not (6 x 3 + 1)', () => {
    const run = (first: number): ReturnType<typeof replayScanlogd> => replayScanlogd(Array.from({ length: 7 }, (_, i) => syn(first + i, 10 + i * 0.1)));
    expect(run(1017)).toMatchObject({ fired: true, weight: 21, ports: [1017, 1018, 1019, 1020, 1021, 1022, 1023] });
    expect(run(1018)).toMatchObject({ fired: false, weight: 19 });
  });

  it('the alarm lists the 20 ports scanlogd remembers and the one that tipped it', () => {
    const r = replayScanlogd(Array.from({ length: 30 }, (_, i) => syn(40000 + i, 10 + i * 0.1)));
    expect(r.ports).toEqual(Array.from({ length: 21 }, (_, i) => 40000 + i));
    expect(r.packets.map((e) => e.dport)).toEqual(r.ports);
    expect(r.alarmTs).toBe(12_000_000);
  });

  it('a new port with ACK or RST set is ignored inside a window, and an ACK never opens one', () => {
    const evs = [syn(21, 10), ...[22, 23, 25, 80, 110, 143].map((p, i) => tcp({ src: US, dst: THEM, sport: 40000, dport: p, flags: i % 2 ? 'R' : 'A', ts: 10.1 + i * 0.1 }))];
    expect(replayScanlogd(evs)).toMatchObject({ fired: false, weight: 3, ignoredAck: 6 });
    // A bare RST may open a window (only ACK may not): its port weighs like any other.
    expect(replayScanlogd([tcp({ src: US, dst: THEM, sport: 1, dport: 22, flags: 'R', ts: 5 })])).toMatchObject({ weight: 3, ignoredAck: 0 });
  });
});
