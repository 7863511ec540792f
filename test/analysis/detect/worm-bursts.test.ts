import { describe, expect, it } from 'vitest';
import { BurstTracker, MAX_BURST_GROUPS } from '../../../analysis/detect/worm-bursts';
import { IPPROTO_UDP } from '../../../analysis/events/event';

const US = '198.51.100.90';

describe('UDP burst tracker', () => {
  it('a million datagrams from changing source ports: burst groups stay under their bound and the bursts are still found', () => {
    const tracker = new BurstTracker();
    const dsts = Array.from({ length: 256 }, (_, i) => `192.0.2.${i}`);
    let bursts = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const ts = 1_700_000_000e6 + i * 1000;
      tracker.add({
        kind: 'packet', ts, src: US, dst: dsts[i & 255], sport: 1024 + (i % 64000), dport: 53, proto: IPPROTO_UDP,
        payloadLength: 20 + (i % 7), source: { file: 'noise.pcap', offset: 24 + i * 80 },
      });
      // Every 17,000 datagrams (17 s), a burst of 5 from port 770 to consecutive ports.
      if (i % 17_000 === 0) {
        bursts++;
        for (let k = 0; k < 5; k++) {
          tracker.add({
            kind: 'packet', ts: ts + 100 + k, src: US, dst: '198.51.100.255', sport: 770, dport: 1000 + (i % 50_000) + k, proto: IPPROTO_UDP,
            payloadLength: 28, source: { file: 'noise.pcap', offset: 24 + i * 80 + 40 + k },
          });
        }
      }
    }
    expect(tracker.groups.size).toBeLessThanOrEqual(MAX_BURST_GROUPS);
    expect(tracker.forgottenGroups).toBeGreaterThan(0);
    const worm = tracker.finish().find((g) => g.sport === 770);
    expect(worm?.stats?.bursts).toBe(bursts);
  });
});
