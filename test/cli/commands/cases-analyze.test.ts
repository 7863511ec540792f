import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeStored } from '../../../cli/commands/cases-analyze';
import { casesDir } from '../../helpers/paths';
import { readFileSync } from 'node:fs';

describe('re-analysing a stored case', () => {
  it('reads the vault\'s files under their original names (two of one name kept apart) and analyses as analyze does', async () => {
    const seed = join(casesDir, 'seed001-synflood-backscatter');
    const pcap = join(seed, 'www-border.pcap');
    const expected = JSON.parse(readFileSync(join(seed, 'expected.json'), 'utf8')) as { verdict: string };
    const r = await analyzeStored({
      complaintRaw: new Uint8Array(readFileSync(join(seed, 'complaint.txt'))), complaintName: 'complaint.txt',
      evidence: [{ path: pcap, originalName: 'border.pcap' }, { path: pcap, originalName: 'border.pcap' }],
      options: { ourNets: ['198.51.100.0/24'] },
    } as never);
    expect(r.verdict).toBe(expected.verdict);
    expect(r.evidence.map((e) => e.file)).toEqual(['border.pcap', '2-border.pcap']);
  });
});
