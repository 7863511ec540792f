import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { MAX_TARGETS_KEPT, wormPatterns } from '../../../analysis/detect/worm-patterns';
import { IPPROTO_ICMP, type NetEvent } from '../../../analysis/events/event';
import { makeContext } from '../../helpers/context';
import { icmp, resetPacketNumbers, tcp, udp } from '../../helpers/events';
import { loadEvents } from '../../helpers/load-events';
import { casesDir } from '../../helpers/paths';

/**
 * worm-patterns as a streaming detector: a capture cut in two at any
 * record, read by two accumulators and merged (either way round), gives what
 * one pass gives; sweeps, pings and Slammer do not depend on the order of
 * arrival at all; its per-group and per-target state stops at its bounds.
 */

const US = '198.51.100.90';
beforeEach(() => resetPacketNumbers());

function split(events: readonly NetEvent[], accused: string[], at: number, reversed: boolean): Finding[] {
  const ctx = makeContext({ events: [...events], accused });
  const first = wormPatterns.start(ctx), second = wormPatterns.start(ctx);
  events.forEach((ev, i) => (i < at ? first : second).add(ev));
  if (reversed) { second.merge(first); return second.finish(ctx); }
  first.merge(second);
  return first.finish(ctx);
}

/** A host sweeping SMB (some targets answer and talk), pinging a subnet and sending Slammer, in time order with numbered records. */
function mixedWorm(): NetEvent[] {
  const evs: NetEvent[] = [];
  for (let h = 1; h <= 40; h++) {
    const t = 1_700_000_000 + h * 0.05;
    evs.push(tcp({ src: US, dst: `10.0.0.${h}`, sport: 3000 + h, dport: 445, flags: 'S', ts: t }));
    if (h % 4 === 0) {
      evs.push(tcp({ src: `10.0.0.${h}`, dst: US, sport: 445, dport: 3000 + h, flags: 'SA', ts: t + 0.001 }));
      evs.push(tcp({ src: US, dst: `10.0.0.${h}`, sport: 3000 + h, dport: 445, flags: 'PA', payloadLength: 72, ts: t + 0.002 }));
    }
    evs.push(icmp({ src: US, dst: `10.0.1.${h}`, type: 8, id: 7, seq: h, ts: t + 0.01 }));
    if (h % 10 === 0) evs.push(udp({ src: US, dst: `203.0.113.${h}`, sport: 1025, dport: 1434, payloadLength: 376, payload: new Uint8Array([4, 1, 1]), ts: t + 0.02 }));
  }
  return evs;
}

describe('worm-patterns streaming: split anywhere, merged, equals one pass', () => {
  it('seed 003 lan-span.pcap (UDP 770 bursts) cut at every record', async () => {
    const path = join(casesDir, 'seed003-udp770-compromise/lan-span.pcap');
    if (!existsSync(path)) throw new Error(`${path} is missing: the tests need ../shared/cases beside the checkout`);
    const events = await loadEvents(path);
    const whole = wormPatterns.detect(makeContext({ events, accused: [US] }));
    expect(whole.map((f) => f.id)).toEqual(['worm-udp-bursts']);
    for (let at = 0; at <= events.length; at++) {
      expect(split(events, [US], at, false), `cut before record ${at}`).toEqual(whole);
      expect(split(events, [US], at, true), `cut before record ${at}, merged the other way`).toEqual(whole);
    }
  });

  it('an SMB sweep, a ping sweep and Slammer cut at every record', () => {
    const events = mixedWorm();
    const whole = wormPatterns.detect(makeContext({ events, accused: [US] }));
    expect(whole.map((f) => f.id)).toEqual(['worm-tcp-sweep', 'worm-slammer', 'worm-icmp-sweep']);
    expect(whole[0].facts).toMatchObject({ targetCount: 40, attempts: 40, withDataShare: 0.25 });
    for (let at = 0; at <= events.length; at++) expect(split(events, [US], at, at % 2 === 1), `cut before ${at}`).toEqual(whole);
  });

  it('sweeps, pings and Slammer do not depend on the order events arrive in', () => {
    const events = mixedWorm();
    const ctx = makeContext({ events, accused: [US] });
    const acc = wormPatterns.start(ctx);
    for (const ev of [...events].reverse()) acc.add(ev);
    expect(acc.finish(ctx)).toEqual(wormPatterns.detect(ctx));
  });
});

describe('worm-patterns bounds', () => {
  it('pings to a million hosts: the count is an estimate said as such, the targets kept for quoting stop at their bound', () => {
    const ctx = makeContext({ events: [], accused: [US] });
    const acc = wormPatterns.start(ctx);
    for (let i = 0; i < 1_000_000; i++) {
      acc.add({
        kind: 'packet', ts: 1_700_000_000e6 + i * 100, src: US, dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, proto: IPPROTO_ICMP,
        icmp: { type: 8, code: 0, id: 1, seq: i & 0xffff }, source: { file: 'sweep.pcap', offset: 24 + i * 74 },
      });
    }
    const [f, ...rest] = acc.finish(ctx);
    expect(rest).toEqual([]);
    expect(f.id).toBe('worm-icmp-sweep');
    expect(f.facts?.targetCountExact).toBe(false);
    expect(Math.abs((f.facts?.targetCount as number) - 1_000_000) / 1_000_000).toBeLessThan(0.025);
    expect(f.summary).toContain('about');
    expect(Math.abs((f.facts?.targetsNotQuoted as number) - (1_000_000 - MAX_TARGETS_KEPT)) / 1_000_000).toBeLessThan(0.025);
    expect(f.evidence.length).toBeLessThanOrEqual(12);
    expect(f.evidence[0].excerpt).toContain(`${US} > 10.0.0.0`);
  });
});
