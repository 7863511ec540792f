import { beforeEach, describe, expect, it } from 'vitest';
import { EvidenceSampler, excerpt, ref, sample } from '../../../analysis/detect/excerpt';
import { detectors, runDetectors } from '../../../analysis/detect/registry';
import type { Detector } from '../../../analysis/detect/detector';
import { makeContext } from '../../helpers/context';
import { IPPROTO_ICMPV6 } from '../../../analysis/events/event';
import { icmp, resetPacketNumbers, tcp, udp } from '../../helpers/events';

beforeEach(() => resetPacketNumbers());

describe('excerpt and ref', () => {
  it('renders one tcpdump-like line in UTC', () => {
    const ev = tcp({ src: '198.51.100.80', dst: '192.0.2.66', sport: 80, dport: 40001, flags: 'SA', ts: 1766018401.123 });
    expect(excerpt(ev)).toBe('2025-12-18 00:40:01.123000 198.51.100.80:80 > 192.0.2.66:40001 tcp [S.] SYN-ACK, len 0, ttl 64');
    expect(ref(ev)).toMatchObject({ file: 'synthetic.pcap', packet: 1, offset: 24, ts: ev.ts });
  });

  it('brackets IPv6 and shows fragments without ports', () => {
    const ev = udp({ src: '2001:db8::1', dst: '2001:db8::2', payloadLength: 8, fragment: { offset: 1448, more: false, id: 9 } });
    expect(excerpt(ev)).toContain('[2001:db8::1] > [2001:db8::2] udp len 8, frag id 9 offset 1448');
  });

  it.each([
    [0, 'echo reply'], [3, 'unreachable'], [4, 'source quench'], [5, 'redirect'], [8, 'echo request'], [11, 'time exceeded'],
    [12, 'parameter problem'], [13, 'timestamp request'], [14, 'timestamp reply'], [9, 'type 9'], [15, 'type 15'],
  ])('names ICMP type %i "%s"', (type, name) => {
    expect(excerpt(icmp({ src: '198.51.100.80', dst: '192.0.2.66', type, code: 1, ts: 1766018401 }))).toBe(`2025-12-18 00:40:01.000000 198.51.100.80 > 192.0.2.66 icmp ${name} code 1, ttl 64`);
  });

  it.each([
    [1, 'unreachable'], [2, 'packet too big'], [3, 'time exceeded'], [4, 'parameter problem'], [128, 'echo request'], [129, 'echo reply'],
    [135, 'neighbor solicitation'], [136, 'neighbor advertisement'], [0, 'type 0'], [130, 'type 130'], [134, 'type 134'], [137, 'type 137'],
  ])('names ICMPv6 type %i "%s"', (type, name) => {
    const ev = { ...icmp({ src: '2001:db8::1', dst: '2001:db8::2', type, ts: 1766018401 }), proto: IPPROTO_ICMPV6 };
    expect(excerpt(ev)).toBe(`2025-12-18 00:40:01.000000 [2001:db8::1] > [2001:db8::2] icmp6 ${name} code 0, ttl 64`);
  });

  it('samples first, last and evenly between', () => {
    expect(sample([1, 2, 3], 12)).toEqual([1, 2, 3]);
    const s = sample(Array.from({ length: 100 }, (_, i) => i), 5);
    expect(s).toEqual([0, 25, 50, 74, 99]);
    const sampler = new EvidenceSampler(2, 64);
    const evs = Array.from({ length: 1000 }, (_, i) => udp({ src: 'a', dst: 'b', sport: 1, dport: i }));
    for (const e of evs) sampler.add(e);
    const picked = sampler.events(12);
    expect(picked).toHaveLength(12);
    expect(picked[0]).toBe(evs[0]);
    expect(picked[11]).toBe(evs[999]);
  });
});

describe('registry', () => {
  it('lists one detector per file with unique ids', () => {
    const ids = detectors.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['outbound-scan', 'worm-patterns', 'brute-force', 'crafted-packets', 'ids-replay']));
  });

  it('a failing detector does not hide the others', () => {
    const bad: Detector = { id: 'bad', detect: () => { throw new Error('boom'); } };
    const ok: Detector = { id: 'ok', detect: () => [{ id: 'x', detector: 'ok', leaning: 'context', strength: 0.1, summary: 's', evidence: [] }] };
    const f = runDetectors(makeContext({ events: [], accused: ['198.51.100.1'] }), [bad, ok]);
    expect(f.map((x) => x.id)).toEqual(['detector-error', 'x']);
  });
});
