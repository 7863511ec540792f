import { describe, expect, it } from 'vitest';
import { reflection } from '../../../../analysis/detect/reflection';
import { Capture } from '../../../helpers/reply-evidence';
import { makeContext } from '../../../helpers/context';
import { evidenceContext, readEvidence } from '../evidence';
import { connLog } from '../zeek-log';
import { T0, THEM, US, dnsAnswer, dnsFlood, dnsQuery } from '../reflection-traffic';

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

describe('reflection: what else the complainant started', () => {
  it('one TCP connection of theirs in a flow record (a single packet out) counts as their own traffic and weakens the finding', async () => {
    const packets = await readEvidence('flood.pcap', dnsFlood({ n: 1500, gapUs: 1000, answerSize: 1400 }).cap.pcap());
    const conn = await readEvidence('conn.log', connLog([{ ts: T0 / 1e6 + 1, orig: THEM, origPort: 51000, resp: US, respPort: 22, state: 'S0', history: 'S', origPkts: 1, respPkts: 0 }]));
    const alone = reflection.detect(makeContext({ events: packets, accused: [US], targets: [THEM] }))[0];
    const withConn = reflection.detect(makeContext({ events: [...packets, ...conn], accused: [US], targets: [THEM] }))[0];
    expect(alone.facts?.targetInitiated).toBe(0);
    expect(withConn.facts?.targetInitiated).toBe(1);
    expect(withConn.strength).toBeLessThan(alone.strength);
  });
});
