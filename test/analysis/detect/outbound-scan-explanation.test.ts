import { describe, expect, it } from 'vitest';
import { outboundScan } from '../../../analysis/detect/outbound-scan';
import { makeContext } from '../../helpers/context';
import { tcp, udp } from '../../helpers/events';

/**
 * The scan explanation states what the probes were, from the probes: a UDP
 * probe carries payload (it must, to reach most services), so "none carried
 * payload" would be false for it, and scan.zeek, which counts failed TCP
 * connections only, has nothing to say about it.
 */
const scanner = '198.51.100.7';
const target = '192.0.2.40';

function vertical(make: (port: number, i: number) => ReturnType<typeof tcp>) {
  const events = Array.from({ length: 30 }, (_, i) => make(2000 + i, i));
  const [f] = outboundScan.detect(makeContext({ events, accused: [scanner], targets: [target] }));
  expect(f?.id).toBe('outbound-port-scan');
  return f;
}

describe('outbound-scan explanation', () => {
  it('UDP probes with payload: says they got no datagram back, not that they carried none', () => {
    const f = vertical((port, i) => udp({ src: scanner, dst: target, sport: 40000, dport: port, payloadLength: 40, ts: 1_700_000_000 + i / 10 }));
    expect(f.facts?.scanType).toBe('UDP');
    expect(f.explanation).toContain('none got a datagram back');
    expect(f.explanation).not.toMatch(/carried no payload|none carried payload/);
    expect(f.explanation).not.toMatch(/scan\.zeek/);
  });

  it('SYN probes: no payload, and the RST answers are counted from the packets', () => {
    const events = Array.from({ length: 30 }, (_, i) => [
      tcp({ src: scanner, dst: target, sport: 40000, dport: 2000 + i, flags: 'S', ts: 1_700_000_000 + i / 10 }),
      ...(i < 12 ? [tcp({ src: target, dst: scanner, sport: 2000 + i, dport: 40000, flags: 'RA', ts: 1_700_000_000 + i / 10 + 0.01 })] : []),
    ]).flat();
    const [f] = outboundScan.detect(makeContext({ events, accused: [scanner], targets: [target] }));
    expect(f.facts?.scanType).toBe('SYN');
    expect(f.explanation).toContain('none carried payload');
    expect(f.explanation).toContain('12 were answered with RST');
    expect(f.explanation).toMatch(/scan\.zeek/);
  });

  it('a SYN sweep across hosts: opened by us, no payload, and the scan.zeek address-scan threshold', () => {
    const events = Array.from({ length: 30 }, (_, i) => tcp({ src: scanner, dst: `192.0.2.${100 + i}`, sport: 40000 + i, dport: 23, flags: 'S', ts: 1_700_000_000 + i / 10 }));
    const f = outboundScan.detect(makeContext({ events, accused: [scanner] })).find((x) => x.id === 'outbound-sweep')!;
    expect(f.facts?.targetCount).toBe(30);
    expect(f.explanation).toBe('Each of these conversations was opened by our host and none carried payload. '
      + "Zeek's scan.zeek reports an address scan from 25 hosts on one port.");
  });
});
