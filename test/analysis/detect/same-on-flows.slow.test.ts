import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../analysis/detect/detector';
import { CASES, expectSameOnFlows, findingsByFormat, FORMATS, type Case, type Format } from './same-on-flows';

/**
 * Every detector family on one capture read four ways: the packets, real
 * argus/ra records of them, Zeek conn.log rows derived from them and real
 * softflowd -> nfcapd -> nfdump records of them (same-on-flows.ts says how
 * each is made). The verdict must not depend on the format: the same finding
 * ids, leanings and counts, never stronger from flows than from packets.
 * The tools' output is cached (tool-cache.ts); same-on-flows.test.ts runs the
 * small captures in the unit tier.
 *
 * What flow records cannot carry is asserted as the weaker reading it is
 * (the last describe), not papered over.
 */

const byCase = new Map<string, Promise<Record<Format, Finding[]>>>();
function findings(name: string): Promise<Record<Format, Finding[]>> {
  const c = CASES.find((x) => x.name === name)!;
  let p = byCase.get(name);
  if (!p) byCase.set(name, (p = findingsByFormat(c)));
  return p;
}
const flowFormats = FORMATS.slice(1);

describe('the same finding from packets, argus, Zeek conn.log and nfdump', () => {
  it.each(CASES.map((c): [string, Case] => [c.name, c]))('%s', async (name, c) => {
    expectSameOnFlows(c, await findings(name));
  }, 60_000);
});

describe('what flow records cannot show is a weaker finding, said as such', () => {
  it('Slammer: the payload\'s first byte (0x04, the resolution-service request) is not in a flow record, so the finding is weaker', async () => {
    const by = await findings('Slammer datagram');
    expect(by.packets[0].facts?.payloadStartsWith0x04).toBe(1);
    for (const f of flowFormats) {
      expect(by[f][0].facts?.payloadStartsWith0x04).toBe(0);
      expect(by[f][0].strength).toBeLessThan(by.packets[0].strength);
    }
  });

  it('FTP guessing: the server\'s 530 replies are payload, so flow records show sessions, not failed logins', async () => {
    const by = await findings('FTP password guessing');
    expect(by.packets[0].facts).toMatchObject({ loginFailures: 30, failureKinds: ['FTP 530'] });
    for (const f of flowFormats) {
      expect(by[f][0].facts).toMatchObject({ loginFailures: 0, fromFlowRecords: true });
      expect(by[f][0].strength).toBeLessThan(by.packets[0].strength);
    }
  });

  it('TCP scans: a flow record says a probe went out, not which flags it carried', async () => {
    for (const name of ['horizontal SYN sweep', 'vertical nmap -sS scan']) {
      const by = await findings(name);
      expect(by.packets[0].facts?.scanType).toBe('SYN');
      for (const f of flowFormats) expect(by[f][0].facts?.scanType).toBe('flow-record');
    }
  });

  it('the flood: TTLs and the SYNs\' fingerprint are per packet, so flow records name the flood without them', async () => {
    const by = await findings('SYN flood answered with SYN-ACKs (seed 001)');
    expect(by.packets[0].facts).toMatchObject({ fingerprint: 'win 512, no options', fingerprintShare: 100 });
    for (const f of flowFormats) {
      expect(by[f][0].facts?.fingerprint).toBeUndefined();
      expect(by[f][0].facts?.fromFlowRecords).toBe(true);
    }
  });

  it('server answering: the HTTP requests behind the sessions are payload, seen only in the capture', async () => {
    const by = await findings('web server answering clients behind NAT (seed 001)');
    expect(by.packets[0].facts).toMatchObject({ httpRequests: 26, userAgents: ['Wget/1.21.3'] });
    for (const f of flowFormats) expect(by[f][0].facts).toMatchObject({ startedByUs: 0, fromFlowRecords: true });
  });
});
