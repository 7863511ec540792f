import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../services/analyze-files';
import { casesDir, corpusDir, fixturesDir } from '../helpers/paths';

const ourNets = ['198.51.100.0/24'];

describe('one case analysed from files on disk', () => {
  it.each(readdirSync(casesDir).filter((d) => d.startsWith('seed')))('%s: the verdict and accused address its expected.json gives', async (name) => {
    const dir = join(casesDir, name);
    const exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { verdict: string; accused: string; complaint: string; evidence: string[] };
    const r = await analyzeFiles({ complaint: new Uint8Array(readFileSync(join(dir, exp.complaint))), complaintName: exp.complaint, evidence: exp.evidence.map((e) => join(dir, e)), ourNets }, { workers: 1, splitMinBytes: Infinity, minTotalBytes: Infinity });
    expect(r.verdict).toBe(exp.verdict);
    expect(r.accused).toContain(exp.accused);
    expect(r.evidence.map((s) => s.file)).toEqual(exp.evidence);
  });

  it('reads evidence attached to the complaint mail (a Snort log and a capture) like any other file; a CSV report is no evidence', async () => {
    const raw = new Uint8Array(readFileSync(join(fixturesDir, 'complaints', 'snort-quoted.eml')));
    const r = await analyzeFiles({ complaint: raw, complaintName: 'snort-quoted.eml', evidence: [], ourNets });
    expect(r.complaint.attachments).toEqual(['alert.log', 'capture.pcap']);
    expect(r.evidence.map((s) => [s.file, s.format])).toEqual([['alert.log', 'snort'], ['capture.pcap', 'pcap']]);
    const csv = new Uint8Array(readFileSync(join(corpusDir, 'complaints', 'abuseio', 'shadowserver__2015-01-01-dns_openresolver-sample-asn.csv.zip.eml')));
    expect((await analyzeFiles({ complaint: csv, complaintName: 'report.eml', evidence: [], ourNets: [] })).evidence).toEqual([]);
  });
});
