import { describe, expect, it } from 'vitest';
import type { EvidenceRef } from '../../../analysis/detect/detector';
import { evidenceTable } from '../../../analysis/draft/evidence-table';
import { parseZone } from '../../../analysis/util/time';
import { corpusContext } from '../detect/corpus';
import { synfloodBackscatter } from '../../../analysis/detect/synflood-backscatter';

const utc = parseZone('UTC')!;

describe('the evidence table of a reply', () => {
  it('seed001: each quoted packet on one line with its UTC time, the record and "file packet N"', async () => {
    const ctx = await corpusContext('cases/seed001-synflood-backscatter/www-border.pcap', ['198.51.100.80'], ['192.0.2.66']);
    const refs = synfloodBackscatter.detect(ctx).flatMap((f) => f.evidence);
    const lines = evidenceTable(refs, utc, true).split('\n');
    expect(lines).toHaveLength(refs.length);
    lines.forEach((l, i) => {
      expect(l).toMatch(/^ {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6} UTC \| /);
      expect(l.endsWith(`| www-border.pcap packet ${refs[i].packet}`)).toBe(true);
      expect(l).not.toMatch(/UTC \| \d{4}-\d{2}-\d{2} \d{2}:/);
    });
  });

  it('adds the complainant\'s zone, or their clock with its offset, as a second column; names lines and offsets', () => {
    const ref: EvidenceRef = { file: 'fw.log', line: 12, offset: 880, ts: Date.UTC(2025, 11, 18, 0, 40, 1) * 1000, excerpt: '2025-12-18 00:40:01.000000 198.51.100.80 > 192.0.2.66 SYN' };
    expect(evidenceTable([ref], parseZone('+01:00')!, false)).toBe('  2025-12-18 00:40:01.000000 UTC | 2025-12-18 01:40:01 UTC+01:00 | 198.51.100.80 > 192.0.2.66 SYN | fw.log line 12');
    expect(evidenceTable([ref], utc, true, -3600)).toBe('  2025-12-18 00:40:01.000000 UTC | 2025-12-17 23:40:01.000000 (-1 h) | 198.51.100.80 > 192.0.2.66 SYN | fw.log line 12');
    expect(evidenceTable([{ file: 'x.bin', offset: 99, excerpt: 'record' }], utc, true)).toBe('   UTC | record | x.bin offset 99');
  });
});
