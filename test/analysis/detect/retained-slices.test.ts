import { describe, expect, it } from 'vitest';
import { betweenUsAndThem, fromUnroutableAccused, nothing, whatTheirSensorSaw } from '../../../analysis/detect/retained-slices';
import type { StreamContext } from '../../../analysis/detect/stream';
import type { NetEvent } from '../../../analysis/events/event';
import { minimalComplaint } from '../../helpers/context';
import { corpusContext } from './corpus';

const US = '198.51.100.80';
const THEM = '192.0.2.66';

function streamCtx(accused: string[], targets: string[]): StreamContext {
  return { complaint: minimalComplaint(accused, targets), accused, targets, isOurs: (a) => a.startsWith('198.51.100.') };
}

const count = (events: NetEvent[], keep: (e: NetEvent) => boolean) => events.filter(keep).length;

describe('retained slices of the evidence', () => {
  it('seed001 border capture: between us and the complainant are its 137 SYNs and our 411 SYN-ACKs (as tshark counts them)', async () => {
    const { events } = await corpusContext('cases/seed001-synflood-backscatter/www-border.pcap', [US], [THEM]);
    expect(count(events, betweenUsAndThem(streamCtx([US], [THEM])))).toBe(548);
    expect(count(events, whatTheirSensorSaw(streamCtx([US], [THEM])))).toBe(548);
    expect(count(events, betweenUsAndThem(streamCtx([US], [])))).toBe(0);
  });

  it('with no complainant named, their sensor could have seen anything between us and anyone', async () => {
    const { events } = await corpusContext('cases/seed001-synflood-backscatter/www-border.pcap', [US], []);
    const ours = events.filter((e) => e.src === US || e.dst === US).length;
    expect(count(events, whatTheirSensorSaw(streamCtx([US], [])))).toBe(ours);
  });

  it('keeps frames from an accused address no network routes, and nothing when every accused is routable', async () => {
    const { events } = await corpusContext('pcap/tcpdump__print-flags.pcap', ['127.0.0.1'], ['192.0.2.66']);
    expect(count(events, fromUnroutableAccused(streamCtx(['127.0.0.1'], ['192.0.2.66'])))).toBe(events.length);
    expect(count(events, fromUnroutableAccused(streamCtx([US], [THEM])))).toBe(0);
    expect(count(events, nothing())).toBe(0);
  });
});
