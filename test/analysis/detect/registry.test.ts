import { describe, expect, it } from 'vitest';
import type { Detector } from '../../../analysis/detect/detector';
import { detectors, runDetectors } from '../../../analysis/detect/registry';
import { isStreamDetector } from '../../../analysis/detect/stream';
import { corpusContext } from './corpus';

describe('detector registry', () => {
  it('lists every detector once; every one streams (batch ones through their retained slice)', () => {
    const ids = detectors.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['synflood-backscatter', 'outbound-scan', 'worm-patterns', 'brute-force', 'crafted-packets', 'ids-replay']));
    expect(detectors.every((d) => isStreamDetector(d))).toBe(true);
  });

  it('seed001 border capture: findings come back in registry order, the flood and the backscatter from synflood-backscatter', async () => {
    const ctx = await corpusContext('cases/seed001-synflood-backscatter/www-border.pcap', ['198.51.100.80'], ['192.0.2.66']);
    const all = runDetectors(ctx);
    const order = detectors.map((d) => d.id);
    const positions = all.map((f) => order.indexOf(f.detector));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(all.filter((f) => f.detector === 'synflood-backscatter').map((f) => f.id)).toEqual(['inbound-syn-flood', 'backscatter-to-complainant']);
  });

  it('a detector that throws becomes a zero-strength context finding; the others still report', async () => {
    const ctx = await corpusContext('cases/seed001-synflood-backscatter/www-border.pcap', ['198.51.100.80'], ['192.0.2.66']);
    const broken: Detector = { id: 'broken', detect: () => { throw new Error('index out of range'); } };
    const [err, ...rest] = runDetectors(ctx, [broken, detectors.find((d) => d.id === 'synflood-backscatter')!]);
    expect(err).toMatchObject({ id: 'detector-error', detector: 'broken', leaning: 'context', strength: 0, summary: 'Detector broken failed: index out of range' });
    expect(rest.map((f) => f.id)).toEqual(['inbound-syn-flood', 'backscatter-to-complainant']);
  });
});
