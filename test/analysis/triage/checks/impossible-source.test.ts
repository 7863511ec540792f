/** Tests of analysis/triage/checks/impossible-source.ts through the first look. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComplaint } from '../../../../analysis/complaint/parse-complaint';
import { firstLook } from '../../../../analysis/triage/first-look';
import { fixturesDir } from '../../../helpers/paths';

/**
 * A source no network routes to the complainant, or private space that is
 * not ours, was not sent by us: the note says where the packets came from
 * and how the complainant can find the machine (its MAC address).
 */
const ourNets = ['198.51.100.0/24'];

async function findings(text: string) {
  const c = await parseComplaint(new TextEncoder().encode(text), { fileName: 'complaint.txt', ourNets, nowMs: Date.UTC(2026, 0, 20) });
  return firstLook(c, { ourNets }).findings;
}

describe('first look: sources that cannot be ours', () => {
  it('RSTs from 127.0.0.1 port 80: produced on the complainant\'s own network, traced by the MAC address', async () => {
    const text = readFileSync(join(fixturesDir, 'triage', 'loopback.txt'), 'utf8');
    const f = (await findings(text)).find((x) => x.id === 'first-look-impossible-source')!;
    expect(f.summary).toBe('The reported source 127.0.0.1 is loopback: no network can route it: no packet from it crosses the Internet, '
      + 'so it was produced on the complainant\'s own network (the Blaster "127.0.0.1 port 80" artefact when the packets are RSTs from port 80).');
    expect(f.explanation).toBe('Only the link layer shows which machine sent such frames: the source MAC address in a capture on their segment, looked up in their switch.');
    expect(f).toMatchObject({ leaning: 'backscatter', strength: 0.9, facts: { address: '127.0.0.1', loopback: true, traceMac: true } });
    // Its evidence: the three netfilter lines the complaint quotes (lines 2-4 of the body).
    expect(f.evidence.map((e) => e.line)).toEqual([2, 3, 4]);
  });

  it('private space that is not ours, complained about from inside that space: the complainant\'s own network or its NAT', async () => {
    const all = await findings('Subject: portscan\n\nYour host 10.20.30.40 scanned our host 10.20.30.5 on 2026-01-14 06:00 UTC.\n');
    const f = all.find((x) => x.id === 'first-look-foreign-private')!;
    expect(f.summary).toBe("The reported source 10.20.30.40 is private address space that is not ours: it is inside the complainant's own network (or its NAT), not a host of ours.");
    expect(f).toMatchObject({ leaning: 'backscatter', facts: { address: '10.20.30.40', traceMac: true } });
    // A private peer can be reached from private space: nothing impossible about it.
    expect(all.some((x) => x.id === 'first-look-impossible-source')).toBe(false);
  });

  it('an address of ours says nothing here', async () => {
    const all = await findings('Subject: portscan\n\nYour host 198.51.100.77 scanned 30 ports of 203.0.113.5 on 2026-01-14 06:00 UTC.\n');
    expect(all.filter((x) => x.detector === 'first-look/impossible-source')).toEqual([]);
  });
});
