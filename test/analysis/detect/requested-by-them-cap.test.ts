import { describe, expect, it } from 'vitest';
import { requestedByThem } from '../../../analysis/detect/requested-by-them';
import { Capture } from '../../helpers/reply-evidence';
import { evidenceContext } from './evidence';
import { T0, US, traceProbe } from './requested-traffic';

/** `peers` different addresses each tracing through our router once, no complainant named. */
async function traces(peers: number) {
  const cap = new Capture();
  for (let p = 0; p < peers; p++) traceProbe(cap, T0 + p * 10_000, { from: `203.0.113.${p + 1}`, dst: '192.0.2.7', ttl: 1, dport: 33434, answer: 'time-exceeded' });
  const ctx = await evidenceContext('traces.pcap', cap.pcap(), [US]);
  return requestedByThem.detect({ ...ctx, targets: [] }).filter((f) => f.id === 'answer-to-their-request');
}

describe('answer-to-their-request: how many findings', () => {
  // The limit is part of what the detector promises (a reply lists no more), so the test names it.
  it('lists at most 50 peers, and all of them while there are 50', async () => {
    expect(await traces(50)).toHaveLength(50);
    expect(await traces(51)).toHaveLength(50);
  });
});
