import { describe, expect, it } from 'vitest';
import { reflection } from '../../../analysis/detect/reflection';
import { Capture } from '../../helpers/reply-evidence';
import { evidenceContext } from './evidence';
import { T0, US, dnsAnswer, dnsQuery } from './reflection-traffic';

/** `victims` forged-source DNS floods at once, each at its own address, the bigger ones first in size. */
function floods(victims: number): Capture {
  const cap = new Capture();
  for (let v = 0; v < victims; v++) {
    const them = `203.0.113.${10 + v}`;
    for (let i = 0; i < 120 + 10 * (victims - v); i++) {
      const t = T0 + v * 100 + i * 2000;
      const q = dnsQuery((i * 7919 + v) & 0xffff, 'isc.org', 'ANY');
      cap.udp(t, { src: them, dst: US, sport: 80, dport: 53, payload: q, ttl: 54 });
      cap.udp(t + 300, { src: US, dst: them, sport: 53, dport: 80, payload: dnsAnswer(q, 1400), ttl: 64 });
    }
  }
  return cap;
}

describe('reflection: many victims and no named complainant', () => {
  it('reports the 8 largest reflected pairs and counts the others, and all of them while there are 8', async () => {
    const nine = reflection.detect({ ...(await evidenceContext('nine.pcap', floods(9).pcap(), [US])), targets: [] });
    expect(nine).toHaveLength(8);
    expect(nine.map((f) => f.facts?.target)).toEqual(Array.from({ length: 8 }, (_, v) => `203.0.113.${10 + v}`));
    expect(nine[0].facts?.otherPairsReflected).toBe(1);
    const eight = reflection.detect({ ...(await evidenceContext('eight.pcap', floods(8).pcap(), [US])), targets: [] });
    expect(eight).toHaveLength(8);
    expect(eight.every((f) => f.facts?.otherPairsReflected === undefined)).toBe(true);
  });
});
