import { describe, it } from 'vitest';
import { CASES, expectSameOnFlows, findingsByFormat, type Case } from './same-on-flows';

/**
 * The unit-tier part of same-on-flows.slow.test.ts: the cases on small
 * captures (a few hundred packets), one per family where the corpus has one,
 * read as packets, argus, Zeek conn.log and nfdump records. Tool output comes
 * from the tool cache after the first run (tool-cache.ts).
 */
const SMALL = new Set([
  'horizontal SYN sweep', 'SSH password guessing', 'UDP 770 worm bursts (seed 003)', 'Slammer datagram',
  'web server answering clients behind NAT (seed 001)', 'control: the SSH server', 'control: web browsing',
  'control: SYN-ACKs to forged SYNs answer no client', 'control: the real client during a flood is no backscatter',
]);

describe('the same finding from packets and flow records (small captures)', () => {
  it.each(CASES.filter((c) => SMALL.has(c.name)).map((c): [string, Case] => [c.name, c]))('%s', async (_, c) => {
    expectSameOnFlows(c, await findingsByFormat(c));
  });
});
