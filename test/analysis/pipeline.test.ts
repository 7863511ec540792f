import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../services/analyze-files';
import { casesDir } from '../helpers/paths';

/**
 * The complainant is never one of our own addresses: the worm example's
 * capture holds nothing but 198.51.100.90's UDP to our broadcast address,
 * and a complaint that quotes such a packet names no complainant by it.
 */
const dir = join(casesDir, 'seed003-udp770-compromise');
const pcap = join(dir, 'lan-span.pcap');

describe('the complainant', () => {
  const complaints = {
    'the example complaint': readFileSync(join(dir, 'complaint.txt'), 'utf8'),
    'the broadcast address named': 'Subject: possible worm on 198.51.100.90\n\nBursts of UDP from 198.51.100.90 source port 770 to the broadcast address 198.51.100.255.\n',
    'a quoted log line to it': 'Subject: worm\n\nDec 18 02:00:01 fw kernel: IN=eth0 SRC=198.51.100.90 DST=198.51.100.255 PROTO=UDP SPT=770 DPT=770\n',
  };
  for (const [name, text] of Object.entries(complaints)) {
    for (const ourNets of [['198.51.100.0/24'], []]) {
      it(`${name}, ${ourNets.length ? 'our networks set' : 'no networks set'}: not our broadcast address`, async () => {
        const r = await analyzeFiles({ complaint: new TextEncoder().encode(text), complaintName: 'complaint.txt', evidence: [pcap], ourNets });
        expect(r.accused).toEqual(['198.51.100.90']);
        expect(r.targets).not.toContain('198.51.100.255');
        expect(r.targets).toEqual([]);
      });
    }
  }
});
